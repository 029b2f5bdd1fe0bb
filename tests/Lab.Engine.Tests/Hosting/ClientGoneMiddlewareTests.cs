using System.Security.Cryptography;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Hosting;

/// <summary>The end of a client's input, through the real CLIs: a plain request (the wait `docker run -d` leaves
/// behind when it exits) ends with it, as in dockerd; a hijacked stream (attach, exec) keeps its half-close and
/// still delivers everything after stdin ends.</summary>
public sealed class ClientGoneMiddlewareTests(EngineMachineFixture machine) : IClassFixture<EngineMachineFixture>
{
    EngineTestServer Server => machine.Server;

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Run_detached_leaves_no_wait_pending_once_the_cli_exits(string cli)
    {
        const int runs = 4;
        var ids = new List<string>();
        for (var i = 0; i < runs; i++)
            ids.Add((await DockerCli.Named(cli).RunAsync(Server, "run", "-d", "busybox", "sleep", "1000")).Succeeded().Stdout.Trim());
        try
        {
            // The CLI has exited; its waits end as the server sees each connection's EOF, which may lag a little.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (Server.Containers.PendingWaits > 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.Equal(0, Server.Containers.PendingWaits);
            foreach (var id in ids) Assert.True(Server.Containers.Get(Server.CallerMachine!, id).State.Running, id);
        }
        finally
        {
            await DockerCli.Cli28.RunAsync(Server, ["rm", "-f", .. ids]);
        }
    }

    [Fact]
    public async Task A_wait_whose_client_stays_connected_still_answers_on_exit()
    {
        var id = (await DockerCli.Cli28.RunAsync(Server, "run", "-d", "busybox", "sleep", "1")).Succeeded().Stdout.Trim();
        var wait = (await DockerCli.Cli28.RunAsync(Server, "wait", id)).Succeeded();
        Assert.Equal("0", wait.Stdout.Trim());
        await DockerCli.Cli28.RunAsync(Server, "rm", id);
    }

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Exec_with_stdin_returns_all_output_after_stdin_ends(string cli)
    {
        var docker = DockerCli.Named(cli);
        var name = $"cat-{cli}";
        (await docker.RunAsync(Server, "run", "-d", "--name", name, "busybox", "sleep", "1000")).Succeeded();
        try
        {
            var input = Input();
            var exec = (await docker.RunAsync(Server, new MemoryStream(input), "exec", "-i", name, "sh", "-c", "cat; echo done")).Succeeded();
            Assert.Equal(Text(input) + "done\n", exec.Stdout);
        }
        finally
        {
            await docker.RunAsync(Server, "rm", "-f", name);
        }
    }

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Run_attached_with_stdin_returns_all_output_after_stdin_ends(string cli)
    {
        var input = Input();
        var run = (await DockerCli.Named(cli).RunAsync(Server, new MemoryStream(input), "run", "-i", "--rm", "busybox", "sh", "-c", "cat; echo done")).Succeeded();
        Assert.Equal(Text(input) + "done\n", run.Stdout);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Server.Containers.PendingWaits > 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(0, Server.Containers.PendingWaits);
    }

    // Text, so the output compares as a string: 256 KiB, more than one socket buffer.
    static byte[] Input() => System.Text.Encoding.ASCII.GetBytes(Hex(RandomNumberGenerator.GetBytes(128 * 1024)) + "\n");

    static string Text(byte[] bytes) => System.Text.Encoding.ASCII.GetString(bytes);

    static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
