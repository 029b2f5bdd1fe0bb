using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary>Containers through the real CLIs, in a real busybox lab machine: run (attached, -d, --rm), ps, logs,
/// inspect templates, exec, stop, rm, and the refusals.</summary>
public sealed class ContainerRunTests : IAsyncLifetime
{
    EngineTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await EngineTestServer.StartAsync(sharedImageStore: true);
        await _server.StartMachineAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    Task<CliResult> Docker(string cli, params string[] args) => DockerCli.Named(cli).RunAsync(_server, args);

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Run_prints_the_output_and_returns_the_exit_code(string cli)
    {
        var result = await Docker(cli, "run", "--name", "greeter", "busybox", "sh", "-c", "echo hello; echo oops >&2; exit 3");
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("hello\n", result.Stdout);
        Assert.Equal("oops\n", result.Stderr);
        var state = (await Docker(cli, "inspect", "-f", "{{.State.Status}} {{.State.ExitCode}} {{.Name}} {{.Config.Image}}", "greeter")).Succeeded();
        Assert.Equal("exited 3 /greeter busybox", state.Stdout.Trim());
    }

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Run_rm_removes_the_container_afterwards(string cli)
    {
        var result = (await Docker(cli, "run", "--rm", "busybox", "echo", "bye")).Succeeded();
        Assert.Equal("bye\n", result.Stdout);
        Assert.Empty(_server.Containers.List(_server.CallerMachine!));
    }

    [Fact]
    public async Task Detached_container_shows_in_ps_logs_and_stops()
    {
        var id = (await Docker("cli28", "run", "-d", "--name", "ticker", "-e", "WORD=tick", "busybox", "sh", "-c", "echo $WORD; sleep 60")).Succeeded().Stdout.Trim();
        Assert.Matches("^[0-9a-f]{64}$", id);

        var ps = (await Docker("cli28", "ps", "--format", "{{.Names}} {{.Image}} {{.Status}}")).Succeeded();
        Assert.StartsWith("ticker busybox Up", ps.Stdout.Trim());
        await WaitForAsync(async () => (await Docker("cli28", "logs", "ticker")).Stdout == "tick\n");

        // Printed at once: the engine's writer is the exec's first subscriber, so nothing is lost.
        var exec = await Docker("cli20", "exec", "ticker", "sh", "-c", "echo in-$WORD; exit 4");
        Assert.True(exec.ExitCode == 4, $"exit {exec.ExitCode}: {exec.Stdout} {exec.Stderr}");
        Assert.Equal("in-tick\n", exec.Stdout);

        (await Docker("cli28", "stop", "-t", "1", "ticker")).Succeeded();
        var state = (await Docker("cli28", "ps", "-a", "--filter", "name=ticker", "--format", "{{.State}}")).Succeeded();
        Assert.Equal("exited", state.Stdout.Trim());
        (await Docker("cli28", "rm", "ticker")).Succeeded();
        Assert.Equal("", (await Docker("cli28", "ps", "-aq")).Stdout.Trim());
    }

    [Fact]
    public async Task Removing_a_running_container_is_a_conflict()
    {
        (await Docker("cli28", "run", "-d", "--name", "busy", "busybox", "sleep", "60")).Succeeded();
        var refused = await Docker("cli28", "rm", "busy");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("You cannot remove a running container", refused.Stderr);
        (await Docker("cli28", "rm", "-f", "busy")).Succeeded();
    }

    [Theory]
    [InlineData("--privileged")]
    [InlineData("--pid=host")]
    [InlineData("--cap-add=SYS_ADMIN")]
    [InlineData("--device=/dev/kmsg")]
    [InlineData("--security-opt=seccomp=unconfined")]
    public async Task Options_that_escape_the_machine_are_refused(string option)
    {
        var result = await Docker("cli28", "run", "--rm", option, "busybox", "true");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("not allowed in a lab machine", result.Stderr);
        Assert.Empty(_server.Containers.List(_server.CallerMachine!));
    }

    [Fact]
    public async Task An_unsupported_option_is_a_clear_bad_request()
    {
        var result = await Docker("cli28", "run", "--rm", "--ulimit", "nofile=1024:1024", "busybox", "true");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--ulimit is not supported", result.Stderr);
    }

    [Fact]
    public async Task A_name_in_use_is_dockerds_conflict()
    {
        (await Docker("cli28", "create", "--name", "twin", "busybox")).Succeeded();
        var result = await Docker("cli28", "create", "--name", "twin", "busybox");
        Assert.Contains("Conflict. The container name \"/twin\" is already in use", result.Stderr);
    }

    [Fact]
    public async Task Docker_py_runs_a_container_like_a_tutorial()
    {
        var script = """
            import docker
            c = docker.DockerClient(base_url='unix://SOCKET', version='auto')
            out = c.containers.run('busybox', ['echo', 'from python'], remove=True)
            print(out.decode().strip())
            ct = c.containers.run('busybox', ['sleep', '30'], detach=True, name='py')
            ct.reload()
            print(ct.status, ct.name)
            ct.stop(timeout=1)
            ct.remove()
            print(len(c.containers.list(all=True)))
            """.Replace("SOCKET", _server.SocketPath);
        var result = await Python.RunAsync(script);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("from python\nrunning py\n0", result.Stdout.Trim());
    }

    static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        Assert.Fail("condition not met in 5 s");
    }
}

