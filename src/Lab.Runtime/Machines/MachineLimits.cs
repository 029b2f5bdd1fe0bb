namespace Lab.Runtime.Machines;

/// <summary>Quotas of one lab machine. Defaults are the issues': 512 MiB (no swap), 512 pids, 1 core (cgroups) and
/// a 4 GiB disk (everything the machine writes, see MachineDisk).</summary>
public sealed record MachineLimits
{
    public long MemoryBytes { get; init; } = 512L * 1024 * 1024;
    public int Pids { get; init; } = 512;
    public double Cpus { get; init; } = 1.0;

    /// <summary>Size of the machine's disk. Changed on a stopped machine, it is applied at the next start (a
    /// shrink below what its files need is refused).</summary>
    public long DiskBytes { get; init; } = 4L << 30;

    public static MachineLimits Default { get; } = new();
}
