using Lab.Runtime.Machines;

namespace Lab.Runtime.Cgroups;

/// <summary>One machine's cgroup, whichever hierarchy the host has. crun keeps cgroup-v1.c and cgroup-v2.c
/// behind one table; this is that table.</summary>
public interface ICgroupDriver
{
    /// <summary>"v1" or "v2".</summary>
    string Version { get; }

    /// <summary>Creates the machine's cgroup with its limits; returns the directories a process must join
    /// (one per v1 controller, one in v2).</summary>
    IReadOnlyList<string> Create(string machine, MachineLimits limits);

    /// <summary>The directories of an existing machine cgroup (empty when it does not exist).</summary>
    IReadOnlyList<string> PathsOf(string machine);

    /// <summary>SIGKILLs every process in the machine's cgroup, waits until it is empty, removes it.</summary>
    void Destroy(string machine);

    CgroupStats ReadStats(string machine);

    /// <summary>Machine names that have a cgroup under our parent (to clean leftovers after a crash).</summary>
    IReadOnlyList<string> ListMachines();

    /// <summary>Removes the (empty) parent cgroup that holds every machine of this host.</summary>
    void RemoveParent();
}

/// <summary>Counters read from the kernel, not from our configuration.</summary>
public sealed record CgroupStats(
    long MemoryBytes,
    long MemoryLimitBytes,
    long OomKills,
    long CpuUsageNanoseconds,
    long Pids,
    long PidsLimitHits);
