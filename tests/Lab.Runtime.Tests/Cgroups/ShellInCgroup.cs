using System.Diagnostics;
using Lab.Runtime.Cgroups;

namespace Lab.Runtime.Tests.Cgroups;

/// <summary>A shell script run inside given cgroups: the shell waits on stdin until it has joined them, so all
/// its work (and every child it forks) is charged there. $1 is a temp dir of its own.</summary>
internal sealed class ShellInCgroup : IDisposable
{
    /// <summary>Counts into $1/n every 20 ms, forking a `sleep` each time: a count that stands still proves the
    /// shell and its children are stopped.</summary>
    public const string Counting =
        "i=0; while :; do i=$((i+1)); echo $i > \"$1/n.tmp\"; mv \"$1/n.tmp\" \"$1/n\"; sleep 0.02; done";

    private readonly Process _sh;

    public ShellInCgroup(string script, IEnumerable<string> cgroupDirs)
    {
        _sh = Process.Start(new ProcessStartInfo("sh", ["-c", "read go; " + script, "sh", WorkDir])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true,
        })!;
        foreach (var dir in cgroupDirs) File.WriteAllText(Path.Combine(dir, "cgroup.procs"), _sh.Id.ToString());
        _sh.StandardInput.WriteLine("go");
        _sh.StandardInput.Flush();
    }

    public string WorkDir { get; } = Directory.CreateTempSubdirectory($"{StaleTestState.OwnPrefix}cgsh-").FullName;

    public string? ReadLine() => _sh.StandardOutput.ReadLine();

    public bool WaitForExit(TimeSpan timeout) => _sh.WaitForExit(timeout);

    public long Count =>
        long.TryParse(File.Exists(Path.Combine(WorkDir, "n")) ? File.ReadAllText(Path.Combine(WorkDir, "n")) : "", out var n) ? n : 0;

    public bool CountAdvancesWithin(TimeSpan timeout)
    {
        var start = Count;
        return CgroupFiles.WaitUntil(() => Count > start, timeout);
    }

    /// <summary>Stands still for a while: longer than a dozen ticks of <see cref="Counting"/>.</summary>
    public bool CountStandsStill()
    {
        var before = Count;
        Thread.Sleep(300);
        return Count == before;
    }

    public void Dispose()
    {
        // A frozen v1 task gets SIGKILL only once thawed; the test's driver cleanup does that, so do not wait here.
        try { _sh.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _sh.WaitForExit(TimeSpan.FromSeconds(1));
        _sh.Dispose();
        Directory.Delete(WorkDir, recursive: true);
    }
}
