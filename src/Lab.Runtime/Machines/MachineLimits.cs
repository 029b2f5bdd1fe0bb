namespace Lab.Runtime.Machines;

/// <summary>cgroup quotas of one lab machine. Defaults are the issue's: 512 MiB (no swap), 512 pids, 1 core.</summary>
public sealed record MachineLimits
{
    public long MemoryBytes { get; init; } = 512L * 1024 * 1024;
    public int Pids { get; init; } = 512;
    public double Cpus { get; init; } = 1.0;

    public static MachineLimits Default { get; } = new();
}
