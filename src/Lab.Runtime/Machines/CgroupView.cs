using Lab.Runtime.Cgroups;

namespace Lab.Runtime.Machines;

/// <summary>What a machine sees at /sys/fs/cgroup: the hierarchies it was put in, mounted read-only by lab-init
/// inside its cgroup namespace (so each shows the machine's own cgroup as its root). Hierarchies the machine is
/// not in are left out: their namespace root would be the server's cgroup.</summary>
internal static class CgroupView
{
    /// <summary>lab-init's --cgroupfs values, "TYPE:OPTIONS:DIR", for the cgroup directories a machine joins.</summary>
    public static IReadOnlyList<string> MountSpecs(IReadOnlyList<string> joined)
    {
        var mounts = CgroupMount.Read();
        var specs = new List<string>();
        foreach (var dir in joined)
        {
            var mount = mounts.Where(m => dir == m.MountPoint || dir.StartsWith(m.MountPoint + "/", StringComparison.Ordinal))
                .MaxBy(m => m.MountPoint.Length);
            if (mount is null) continue;
            var spec = mount.FsType == "cgroup2"
                ? "cgroup2:none:."
                : $"cgroup:{string.Join(',', mount.Controllers)}:{Path.GetFileName(mount.MountPoint)}";
            if (!specs.Contains(spec)) specs.Add(spec);
        }
        return specs;
    }
}
