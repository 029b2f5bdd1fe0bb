namespace Lab.Runtime.Tests.Cgroups;

/// <summary>Which cgroup hierarchies this host has, from /proc/self/mountinfo.</summary>
internal static class HostCgroups
{
    private static IEnumerable<(string MountPoint, string FsType, string Options)> Mounts() =>
        File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' ')).Select(f => (f, sep: Array.IndexOf(f, "-")))
            .Where(x => x.sep > 0 && x.f.Length > x.sep + 3)
            .Select(x => (x.f[4], x.f[x.sep + 1], x.f[x.sep + 3]));

    public static bool HasV1(string controller) =>
        Mounts().Any(m => m.FsType == "cgroup" && m.Options.Split(',').Contains(controller));

    /// <summary>/sys/fs/cgroup is cgroup2 and offers memory: a pure v2 host where limits can be tested for real.</summary>
    public static bool IsUnifiedWithMemory =>
        Mounts().Any(m => m.FsType == "cgroup2" && m.MountPoint == "/sys/fs/cgroup")
        && File.ReadAllText("/sys/fs/cgroup/cgroup.controllers").Split(' ', '\n').Contains("memory");
}

/// <summary>A fact about the v1 driver: it needs v1 hierarchies, which a pure v2 host has not; there it is
/// reported skipped with the reason, never passed.</summary>
public sealed class CgroupV1FactAttribute : FactAttribute
{
    public CgroupV1FactAttribute()
    {
        if (!HostCgroups.HasV1("memory")) Skip = "this host has no cgroup v1 hierarchies (pure cgroup v2)";
    }
}

/// <summary>A fact about v2 limits the kernel enforces: it needs controllers in a cgroup2 hierarchy, which a
/// hybrid host (v1 holds memory, pids, cpu) cannot give; there it is reported skipped with the reason.</summary>
public sealed class UnifiedCgroupFactAttribute : FactAttribute
{
    public UnifiedCgroupFactAttribute()
    {
        if (!HostCgroups.IsUnifiedWithMemory)
            Skip = "/sys/fs/cgroup is not a cgroup2 hierarchy with the memory controller (v1 or hybrid host)";
    }
}
