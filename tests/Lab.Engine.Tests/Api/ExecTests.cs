using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary><c>docker exec</c> through CLI 28: the process runs in the container's cgroups (lab-init joins them as a
/// thread, see native/lab-init.c), its exit code is the CLI's, its output arrives whole.</summary>
public sealed class ExecTests : IAsyncLifetime
{
    EngineTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await EngineTestServer.StartAsync(sharedImageStore: true);
        await _server.StartMachineAsync();
        (await Docker("run", "-d", "--name", "target", "busybox", "sleep", "300")).Succeeded();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    Task<CliResult> Docker(params string[] args) => DockerCli.Cli28.RunAsync(_server, args);

    [Fact]
    public async Task Exec_runs_in_the_containers_cgroups()
    {
        // Inside the container's cgroup namespace its own cgroup is "/": a process left elsewhere shows "/..".
        var cgroups = (await Docker("exec", "target", "cat", "/proc/self/cgroup")).Succeeded().Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The controllers every machine uses (v1 lines name them; a v2 host has the one "0::" line).
        var limited = cgroups.Where(line => line.StartsWith("0::") || line.Split(':')[1].Split(',').Intersect(["memory", "pids"]).Any()).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, line => Assert.EndsWith(":/", line));

        // Seen from outside too: docker top lists the container cgroup's processes.
        (await Docker("exec", "-d", "target", "sleep", "299")).Succeeded();
        var top = "";
        for (var tries = 0; tries < 50 && !top.Contains("sleep 299"); tries++, await Task.Delay(100))
            top = (await Docker("top", "target")).Succeeded().Stdout;
        Assert.Contains("sleep 299", top);
        Assert.Contains("sleep 300", top);
    }

    [Fact]
    public async Task Exit_code_reaches_the_cli()
    {
        var result = await Docker("exec", "target", "sh", "-c", "echo out; exit 7");
        Assert.Equal(7, result.ExitCode);
        Assert.Equal("out", result.Stdout.Trim());
    }

    // Output that comes in several reads from the pipes, on both streams: every chunk past the first was lost once
    // (OutputWriter's queue could not count its entries).
    [Fact]
    public async Task All_output_reaches_the_cli_before_the_exit_code()
    {
        var result = await Docker("exec", "target", "sh", "-c", "seq 1 2000; echo done >&2; exit 7");
        Assert.Equal(7, result.ExitCode);
        Assert.Equal(2000, result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal("done", result.Stderr.Trim());
    }

    // docker-py reads the 101 head through a buffered reader, then the output from the raw socket: output that came
    // with the head was lost (exec_run returned b"" about one run in ten). A client that reads only after the
    // process has long finished must still get the head alone in its first read.
    [Fact]
    public async Task The_upgrade_head_is_read_alone_before_any_output()
    {
        var created = await _server.Http.PostAsJsonAsync("/v1.43/containers/target/exec",
            new { AttachStdout = true, AttachStderr = true, Cmd = new[] { "echo", "hi" } });
        var id = (await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<Dictionary<string, object>>())!["Id"];
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_server.SocketPath));
        var body = """{"Detach":false,"Tty":false}""";
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"POST /v1.43/exec/{id}/start HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n" +
            $"Connection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: {body.Length}\r\n\r\n{body}"));
        await Task.Delay(500); // `echo hi` has run and printed by now

        var buffer = new byte[64 * 1024];
        var head = Encoding.ASCII.GetString(buffer, 0, await socket.ReceiveAsync(buffer));
        Assert.StartsWith("HTTP/1.1 101", head);
        Assert.EndsWith("\r\n\r\n", head);

        var rest = new MemoryStream();
        for (int n; (n = await socket.ReceiveAsync(buffer)) > 0;) rest.Write(buffer, 0, n);
        Assert.Equal([1, 0, 0, 0, 0, 0, 0, 3, (byte)'h', (byte)'i', (byte)'\n'], rest.ToArray());
    }
}
