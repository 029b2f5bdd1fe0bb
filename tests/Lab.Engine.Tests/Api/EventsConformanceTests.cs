using System.Text.RegularExpressions;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary>The same command script against Debian's dockerd (a private one, see <see cref="PrivateDockerd"/>) and
/// against Lab, then the same <c>docker events</c> queries: the outputs must be equal once ids are masked. Add
/// commands to <see cref="Script"/> and queries to <see cref="Queries"/> to extend it.</summary>
public sealed partial class EventsConformanceTests : IAsyncLifetime
{
    static readonly string[][] Script =
    [
        ["run", "--name", "conf-c1", "--network", "none", "--label", "course=docker", "busybox", "true"],
        ["tag", "busybox", "conf-mine:1"],
        ["rmi", "conf-mine:1"],
        ["rm", "conf-c1"],
        ["run", "-d", "--name", "conf-c2", "--network", "none", "--label", "conf=2", "busybox", "sleep", "300"],
        ["pause", "conf-c2"],
        ["unpause", "conf-c2"],
        ["rename", "conf-c2", "conf-c3"],
        ["exec", "conf-c3", "true"],
        ["stop", "-t", "1", "conf-c3"], // sleep as PID 1 ignores SIGTERM: kill 15, kill 9, die, stop
        ["rm", "conf-c3"],
        ["run", "-d", "--name", "conf-c4", "--network", "none", "--label", "conf=2", "busybox", "sleep", "300"],
        ["rm", "-f", "conf-c4"],
    ];

    /// <summary>Replaced by the second the script starts in: what the setup did (dockerd's import tags an
    /// image) stays out of the comparison.</summary>
    const string Since = "{since}";

    static readonly string[][] Queries =
    [
        ["events", "--since", Since, "--until", "0s", "--filter", "container=conf-c1",
            "--format", "{{.Type}} {{.Action}} {{.Actor.ID}} {{json .Actor.Attributes}} {{.Status}} {{.From}}"],
        ["events", "--since", Since, "--until", "0s", "--filter", "container=conf-c1", "--filter", "event=die"],
        ["events", "--since", Since, "--until", "0s", "--filter", "label=conf=2",
            "--format", "{{.Type}} {{.Action}} {{json .Actor.Attributes}}"],
        ["events", "--since", Since, "--until", "0s", "--filter", "type=image", "--filter", "event=tag", "--filter", "event=untag",
            "--format", "{{.Type}} {{.Action}} {{.Actor.ID}} {{.Actor.Attributes.name}} {{.Status}} {{.ID}}"],
    ];

    PrivateDockerd _dockerd = null!;
    EngineTestServer _lab = null!;

    public async Task InitializeAsync()
    {
        _dockerd = await PrivateDockerd.StartAsync();
        await _dockerd.ImportRootfsAsync(await TestImages.Recipe("busybox").EnsureBuiltAsync(), "busybox");
        _lab = await EngineTestServer.StartAsync(sharedImageStore: true);
        await _lab.StartMachineAsync();
    }

    public async Task DisposeAsync()
    {
        await _lab.DisposeAsync();
        await _dockerd.DisposeAsync();
    }

    [Fact]
    public async Task Events_print_the_same_as_dockerd()
    {
        // --since is whole seconds: start the script at the beginning of a second after the setup's.
        var since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        await Task.Delay(DateTimeOffset.FromUnixTimeSeconds(since) - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(50));
        foreach (var command in Script)
        {
            var expected = await _dockerd.RunAsync(command);
            var actual = await DockerCli.Cli28.RunAsync(_lab, command);
            Assert.True(expected.ExitCode == 0, $"dockerd: {string.Join(' ', command)}: {expected.Stderr}");
            Assert.True(actual.ExitCode == 0, $"lab: {string.Join(' ', command)}: {actual.Stderr}");
        }
        await Task.Delay(1100); // --until is whole seconds

        foreach (var query in Queries.Select(q => q.Select(a => a == Since ? since.ToString() : a).ToArray()))
        {
            var expected = await _dockerd.RunAsync(query);
            var actual = await DockerCli.Cli28.RunAsync(_lab, query);
            Assert.False(string.IsNullOrWhiteSpace(expected.Stdout), $"dockerd printed nothing for {string.Join(' ', query)}: {expected.Stderr}");
            Assert.Equal(Normalize(expected.Stdout), Normalize(actual.Stdout));
        }
    }

    /// <summary>Ids (64 hex, with or without sha256:) and times differ between the two; the rest must not.</summary>
    static string Normalize(string output) =>
        Time().Replace(Id().Replace(output, "<id>"), "<time>");

    [GeneratedRegex("(sha256:)?[0-9a-f]{64}")]
    private static partial Regex Id();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(Z|[+-]\d\d:\d\d)")]
    private static partial Regex Time();
}
