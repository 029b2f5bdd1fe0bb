namespace Lab.Runtime.Cgroups;

/// <summary>Counters read from the kernel, not from our configuration. Memory, CPU and I/O cover the machine's
/// whole subtree (its nested containers included), as `docker stats` reports them.</summary>
public sealed record CgroupStats(
    long MemoryBytes,
    long MemoryLimitBytes,
    long OomKills,
    long CpuUsageNanoseconds,
    long Pids,
    long PidsLimitHits)
{
    /// <summary>Anonymous memory (v2 memory.stat anon, v1 total_rss).</summary>
    public long MemoryAnonBytes { get; init; }

    /// <summary>Page cache (v2 memory.stat file, v1 total_cache).</summary>
    public long MemoryFileBytes { get; init; }

    /// <summary>Kernel memory: slabs, stacks, page tables (v2 memory.stat kernel, v1 memory.kmem.usage_in_bytes).</summary>
    public long MemoryKernelBytes { get; init; }

    public long CpuUserNanoseconds { get; init; }
    public long CpuSystemNanoseconds { get; init; }

    /// <summary>Periods in which the CPU quota stopped the machine (cpu.stat nr_throttled).</summary>
    public long CpuThrottledPeriods { get; init; }

    public long PidsLimit { get; init; }

    /// <summary>Bytes read from and written to block devices, summed over devices.</summary>
    public long IoReadBytes { get; init; }
    public long IoWriteBytes { get; init; }
}
