using System.Diagnostics;

namespace Lab.Bench;

/// <summary>Wall-clock milliseconds of repeated runs, after a few warm-up runs that are not counted.</summary>
public sealed class Sample(List<double> millis, double cpuMillis = double.NaN)
{
    /// <summary>CPU per run, in ms: this process's (all its threads: JIT and GC included) and its reaped children's
    /// (crun, runc, lab-init, the container's command), from /proc/self/stat. A loaded host disturbs it far less
    /// than wall time. NaN when not measured.</summary>
    public double CpuMillis => cpuMillis;

    /// <summary>Runs before a Lab loop is timed: a student's server has long been running, and .NET's tiered JIT
    /// recompiles a path's methods only after ~30 calls and a quiet spell; before that the server spends 2-3x its
    /// steady CPU (measured: `docker exec` at 40 warm-up commands vs 100+). LAB_BENCH_WARMUP overrides it. The engine
    /// rows warm on past it until the JIT has settled (EngineBench).</summary>
    public static readonly int ServerWarmup =
        int.TryParse(Environment.GetEnvironmentVariable("LAB_BENCH_WARMUP"), out var w) ? w : 100;

    public double Median => Percentile(0.5);
    public double P90 => Percentile(0.9);

    private double Percentile(double p)
    {
        var sorted = millis.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Round(p * (sorted.Count - 1)))];
    }

    /// <param name="warmup">Runs not counted. In-process Lab code needs many (see <see cref="ServerWarmup"/>); an
    /// external program (crun, runc) only a few, for the page cache.</param>
    public static Sample Measure(int runs, Action action, int warmup = 3)
    {
        for (int i = 0; i < warmup; i++) action();
        var times = new List<double>();
        var cpu = ProcessCpu.Millis();
        for (int i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        return new Sample(times, (ProcessCpu.Millis() - cpu) / runs);
    }
}
