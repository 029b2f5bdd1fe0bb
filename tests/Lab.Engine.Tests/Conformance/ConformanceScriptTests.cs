namespace Lab.Engine.Tests.Conformance;

/// <summary>The script format and the normalizer the conformance suite relies on: a mistake here would hide
/// differences (or invent them), so they are checked on their own.</summary>
public sealed class ConformanceScriptTests
{
    [Fact]
    public void Lines_are_split_as_sh_splits_the_quoting_tutorials_use()
    {
        Assert.Equal(["run", "--rm", "busybox", "sh", "-c", "echo $A; exit 3"],
            ShellWords.Split("run --rm busybox sh -c 'echo $A; exit 3'"));
        Assert.Equal(["ps", "--format", "{{.Names}} \"q\"", "a b"], ShellWords.Split("ps --format \"{{.Names}} \\\"q\\\"\" a\\ b"));
        Assert.Throws<FormatException>(() => ShellWords.Split("echo 'open"));
    }

    [Fact]
    public void Expect_exit_applies_to_the_next_command_only()
    {
        var script = ConformanceScript.Parse("t", ["# c", "clis cli28 cli20", "expect-exit 125", "docker run x", "docker ps", "host-cat {dir}/f"]);
        Assert.Equal(["cli28", "cli20"], script.Clis);
        Assert.Equal([125, 0, 0], script.Steps.Select(s => s.ExpectedExit));
        Assert.Equal(["run", "x"], script.Steps[0].Args);
        Assert.Equal(StepKind.HostCat, script.Steps[2].Kind);
        Assert.Equal(4, script.Steps[0].Line);
    }

    [Theory]
    [InlineData("docker-run x")]
    [InlineData("expect-exit")]
    [InlineData("clis cli99")]
    public void A_line_the_format_does_not_know_is_refused(string line) =>
        Assert.Throws<FormatException>(() => ConformanceScript.Parse("t", [line, "docker ps"]));

    [Fact]
    public void The_shipped_scripts_parse() =>
        Assert.All(ConformanceScript.Names, name => Assert.NotEmpty(ConformanceScript.Load(name).Steps));

    [Fact]
    public void Ids_times_durations_and_sizes_are_masked_and_tables_respaced()
    {
        var ps = "CONTAINER ID   IMAGE     STATUS\n0123456789ab   busybox   Up 2 seconds\n";
        Assert.Equal("CONTAINER ID   IMAGE   STATUS\n<id>   busybox   Up <duration>", OutputNormalizer.Normalize(ps, ["ps"]));
        Assert.Equal("Exited (0) <duration> ago", OutputNormalizer.Normalize("Exited (0) About a minute ago", ["ps"]));
        Assert.Equal("<id> <time> <size> <pct> <ip>",
            OutputNormalizer.Normalize($"sha256:{new string('a', 64)} 2026-11-23T17:05:40.123Z 4.26MB 0.15% 10.0.0.2", ["x"]));
    }

    [Fact]
    public void What_differs_in_text_is_kept()
    {
        Assert.NotEqual(OutputNormalizer.Normalize("Exited (0) 3 seconds ago", ["ps"]),
            OutputNormalizer.Normalize("Exited (1) 3 seconds ago", ["ps"]));
        Assert.NotEqual(OutputNormalizer.Normalize("uid=1000 gid=1000 groups=1000", ["run"]),
            OutputNormalizer.Normalize("uid=1000 gid=1000", ["run"]));
    }

    [Fact]
    public void Only_unordered_outputs_are_sorted()
    {
        Assert.Equal("A /a\nC /etc", OutputNormalizer.Normalize("C /etc\nA /a\n", ["diff", "c"]));
        Assert.Equal("job 2\njob 1", OutputNormalizer.Normalize("job 2\njob 1\n", ["logs", "c"]));
    }
}
