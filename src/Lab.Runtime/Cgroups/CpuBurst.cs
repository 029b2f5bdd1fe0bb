namespace Lab.Runtime.Cgroups;

/// <summary>A lab machine's CFS burst (v1 cpu.cfs_burst_us, v2 cpu.max.burst; kernel 5.14+): quota a machine left
/// unused in earlier periods, up to one period's quota, that it may spend above its limit later. What a student
/// types is bursty: the docker CLI (Go) starts on several threads at once and, on a 1-CPU machine, used its whole
/// 100 ms quota in about 50 ms and was throttled for the rest of the period, every command (`docker ps` ~10 ms
/// slower inside a machine than on the host). Sustained use is still bounded by the quota (a spinner gains at most
/// one period's quota once, see QuotaTests), so machines stay fair to each other. Containers keep Docker's
/// `--cpus` semantics: no burst. Hosts whose kernel lacks the file run without it.</summary>
internal static class CpuBurst
{
    /// <summary>The burst for a quota, in µs: the kernel accepts at most the quota itself.</summary>
    public static long Of(long quotaMicroseconds) => Math.Max(0, quotaMicroseconds);
}
