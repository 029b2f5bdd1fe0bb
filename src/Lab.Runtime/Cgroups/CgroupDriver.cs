namespace Lab.Runtime.Cgroups;

/// <summary>Picks the driver for this host once at start: v2 when /sys/fs/cgroup itself is cgroup2 (unified),
/// v1 otherwise (legacy, or hybrid like this project's CI machine, whose v2 mount has no controllers).</summary>
public static class CgroupDriver
{
    public static ICgroupDriver Detect(string parentName)
    {
        bool unified = CgroupMount.Read().Any(m => m.FsType == "cgroup2" && m.MountPoint == "/sys/fs/cgroup");
        return unified ? new CgroupV2Driver(parentName) : new CgroupV1Driver(parentName);
    }
}
