using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary><c>docker diff</c>: A/C/D as dockerd shows them, whiteouts of lower files understood.</summary>
public sealed class DiffTests : IAsyncLifetime
{
    EngineTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await EngineTestServer.StartAsync(sharedImageStore: true);
        await _server.StartMachineAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Added_changed_and_deleted_files_are_listed_with_their_parents_changed(string cli)
    {
        var docker = DockerCli.Named(cli);
        var name = $"d-{cli}";
        (await docker.RunAsync(_server, "run", "--name", name, "busybox", "sh", "-c",
            "mkdir /data && echo x > /data/new && rm /etc/group && echo extra >> /etc/passwd")).Succeeded();

        var lines = (await docker.RunAsync(_server, "diff", name)).Succeeded().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

        Assert.Equal(["C /etc", "D /etc/group", "C /etc/passwd", "A /data", "A /data/new"],
            lines.OrderBy(l => l.Contains("/data") ? 1 : 0).ToList());
    }

    [Fact]
    public async Task A_container_that_changed_nothing_has_no_changes()
    {
        (await DockerCli.Cli28.RunAsync(_server, "run", "--name", "quiet", "busybox", "true")).Succeeded();
        Assert.Equal("", (await DockerCli.Cli28.RunAsync(_server, "diff", "quiet")).Succeeded().Stdout.Trim());
    }

    [Fact]
    public async Task Diff_of_an_unknown_container_is_a_404()
    {
        var result = await DockerCli.Cli28.RunAsync(_server, "diff", "ghost");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("No such container: ghost", result.Stderr);
    }
}
