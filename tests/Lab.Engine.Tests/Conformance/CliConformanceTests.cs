using System.Text;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Conformance;

/// <summary>Each script of scripts/*.txt runs, command by command, against Debian's dockerd and against a Lab
/// machine with the same docker CLI; the normalized transcripts must be equal but for the differences listed
/// in <see cref="KnownDifferences"/>. A new difference fails with the unified diff (dockerd → lab). To extend
/// the suite, add lines to a script or a new script file.</summary>
public sealed class CliConformanceTests(ConformancePeers peers) : IClassFixture<ConformancePeers>
{
    public static TheoryData<string, string> Cases
    {
        get
        {
            var cases = new TheoryData<string, string>();
            foreach (var name in ConformanceScript.Names)
                foreach (var cli in ConformanceScript.Load(name).Clis)
                    cases.Add(name, cli);
            return cases;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Script_prints_the_same_on_Lab_as_on_dockerd(string script, string cli)
    {
        await peers.ResetAsync();
        var steps = ConformanceScript.Load(script).Steps;
        var known = KnownDifferences.All.Where(k => k.Script == script && (k.Cli is null || k.Cli == cli)).ToList();
        var unknownCommands = known.Where(k => steps.All(s => s.Text != k.Command)).ToList();
        Assert.True(unknownCommands.Count == 0, "known differences name lines the script does not have:\n" +
            string.Join('\n', unknownCommands.Select(k => k.Command)));

        var seen = new HashSet<KnownDifference>();
        var misread = new List<string>();
        var dockerd = new Transcript();
        var lab = new Transcript();
        foreach (var step in steps)
        {
            var expected = await RunAsync(peers.Dockerd, step, cli);
            var actual = await RunAsync(peers.Lab, step, cli);
            if (step.Kind == StepKind.Docker && expected.ExitCode != step.ExpectedExit)
                misread.Add($"{script}.txt:{step.Line}: dockerd exited {expected.ExitCode}, the script expects {step.ExpectedExit}" +
                    $" (mark it with expect-exit)\n{expected.Stderr}");
            var (left, right) = (NormalizedResult.Of(expected, step.Args), NormalizedResult.Of(actual, step.Args));
            foreach (var difference in known.Where(k => k.Command == step.Text && left[k.Part] != right[k.Part]))
            {
                seen.Add(difference);
                (left, right) = (left.Without(difference.Part), right.Without(difference.Part));
            }
            dockerd.Add(step, left);
            lab.Add(step, right);
        }

        var diff = await Transcript.DiffAsync(dockerd, $"dockerd-{cli}", lab, $"lab-{cli}");
        var stale = known.Except(seen).ToList();
        var report = new StringBuilder();
        if (misread.Count > 0) report.Append("the script does not say what dockerd does:\n").AppendJoin('\n', misread).Append('\n');
        if (diff.Length > 0) report.Append($"Lab differs from dockerd on {script}.txt with {cli}:\n{diff}");
        if (stale.Count > 0)
            report.Append("known differences that no longer differ (remove them from KnownDifferences):\n")
                .AppendJoin('\n', stale.Select(k => $"  {k.Part} of {k.Command}"));
        Assert.True(report.Length == 0, report.ToString());
    }

    static async Task<CliResult> RunAsync(CliPeer peer, ScriptStep step, string cli)
    {
        if (step.Kind == StepKind.HostCat)
        {
            var path = step.Args[0].Replace("{dir}", peer.Dir);
            return File.Exists(path) ? new CliResult(0, await File.ReadAllTextAsync(path), "")
                : new CliResult(1, "", $"{step.Args[0]}: no such file");
        }
        var result = await peer.RunAsync(DockerCli.Named(cli), step.Args);
        // Each side has its own host directory: messages naming it name {dir}, as the script does.
        return result with { Stdout = result.Stdout.Replace(peer.Dir, "{dir}"), Stderr = result.Stderr.Replace(peer.Dir, "{dir}") };
    }
}
