using System.Globalization;

namespace Lab.Runtime.Machines;

/// <summary>Refuses limits a machine could not boot or live with, and reads the sizes operators type ("512m").</summary>
public static class MachineLimitsCheck
{
    public const long MinMemoryBytes = 32L << 20;
    public const int MinPids = 16;

    public static MachineLimits Validate(this MachineLimits limits)
    {
        if (limits.MemoryBytes < MinMemoryBytes)
            throw Invalid($"memory limit {limits.MemoryBytes} bytes is below the minimum of {MinMemoryBytes >> 20} MiB");
        if (limits.Pids < MinPids)
            throw Invalid($"pids limit {limits.Pids} is below the minimum of {MinPids}");
        if (!(limits.Cpus >= 0.01) || limits.Cpus > Environment.ProcessorCount)
            throw Invalid($"cpus {limits.Cpus.ToString(CultureInfo.InvariantCulture)} must be between 0.01 and this host's {Environment.ProcessorCount}");
        return limits;
    }

    /// <summary>Docker's size syntax: a number with an optional b, k, m or g suffix (binary units).</summary>
    public static long ParseSize(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        long unit = 1;
        if (t.Length > 0 && char.IsLetter(t[^1]))
        {
            unit = t[^1] switch { 'b' => 1, 'k' => 1L << 10, 'm' => 1L << 20, 'g' => 1L << 30, _ => 0 };
            t = t[..^1];
        }
        if (unit == 0 || !double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
            throw Invalid($"invalid size '{text}': use a number with an optional b, k, m or g suffix, e.g. 512m");
        return (long)(value * unit);
    }

    private static LabException Invalid(string message) => new(ErrorKind.InvalidParameter, message);
}
