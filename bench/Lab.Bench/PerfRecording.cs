using System.Diagnostics;

namespace Lab.Bench;

/// <summary>LAB_BENCH_PERF=/tmp/perf: a system-wide profile (perf record -g, cpu-clock) of a Lab loop while it
/// runs, to /tmp/perf-NAME, for finding where its time goes. Run the bench with DOTNET_PerfMapEnabled=1 and
/// DOTNET_EnableWriteXorExecute=0 so that perf can name JIT'd methods. Without the variable: nothing.</summary>
public sealed class PerfRecording : IDisposable
{
    private readonly Process? _perf;

    private PerfRecording(Process? perf) => _perf = perf;

    public static PerfRecording Start(string name) =>
        new(Environment.GetEnvironmentVariable("LAB_BENCH_PERF") is { Length: > 0 } prefix
            ? Process.Start("perf", ["record", "-q", "-e", "cpu-clock", "-F", "1999", "-g", "-a", "-o", $"{prefix}-{name}"])
            : null);

    public void Dispose()
    {
        if (_perf is null) return;
        Lab.Runtime.Native.Signals.Send(_perf.Id, 2); // SIGINT: perf writes its file and exits
        _perf.WaitForExit();
        _perf.Dispose();
    }
}
