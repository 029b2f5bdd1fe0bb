using System.Net;
using Lab.Runtime.Machines;
using Lab.Web.Cli;
using Lab.Web.Tests.Support;

namespace Lab.Web.Tests.Control;

/// <summary>`lab machine ...` as the executable runs it (LabCommand), reaching a running server over its
/// control socket, with real machines.</summary>
public sealed class MachineCommandTests : IAsyncLifetime
{
    private LabTestServer server = null!;

    public async Task InitializeAsync() => server = await LabTestServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Start_ls_exec_stop_and_rm_drive_a_real_machine()
    {
        var start = await server.RunCliAsync("machine", "start", "cli-one");
        Assert.Equal((0, ""), (start.ExitCode, start.Error));
        Assert.StartsWith("cli-one running (pid ", start.Out);

        var ls = await server.RunCliAsync("machine", "ls");
        Assert.Equal(0, ls.ExitCode);
        var lines = ls.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", lines[0]);
        Assert.Matches(@"^cli-one\s+running\s+\d+\s+512 MiB\s+512\s+1\s", lines.Single(l => l.StartsWith("cli-one")));

        var exec = await server.RunCliAsync("machine", "exec", "cli-one", "--", "/bin/sh", "-c", "hostname; echo oops >&2; exit 7");
        Assert.Equal(7, exec.ExitCode);
        Assert.Equal("cli-one\n", exec.Out);
        Assert.Equal("oops\n", exec.Error);

        Assert.Equal(0, (await server.RunCliAsync("machine", "stop", "cli-one")).ExitCode);
        Assert.Equal(MachineState.Stopped, server.Machines.Find("cli-one")?.State);
        var stopped = await server.RunCliAsync("machine", "exec", "cli-one", "--", "true");
        Assert.Equal((1, "lab: machine 'cli-one' is not running; start it first\n"), (stopped.ExitCode, stopped.Error));

        Assert.Equal(0, (await server.RunCliAsync("machine", "rm", "cli-one")).ExitCode);
        Assert.DoesNotContain("cli-one", (await server.RunCliAsync("machine", "ls")).Out);
    }

    [Fact]
    public async Task Start_sets_the_machines_limits_and_the_kernel_enforces_them()
    {
        var start = await server.RunCliAsync("machine", "start", "cli-small", "--memory", "64m", "--pids", "32", "--cpus", "0.5");
        Assert.Equal((0, ""), (start.ExitCode, start.Error));
        var ls = await server.RunCliAsync("machine", "ls");
        Assert.Matches(@"^cli-small\s+running\s+\d+\s+64 MiB\s+32\s+0.5\s", ls.Out.Split('\n').Single(l => l.StartsWith("cli-small")));
        // The memory limit is real: a 128 MiB hog is killed.
        var hog = await server.RunCliAsync("machine", "exec", "cli-small", "--", "/bin/sh", "-c", "head -c 134217728 /dev/zero | tail -n 1 >/dev/null");
        Assert.Equal(137, hog.ExitCode);

        var change = await server.RunCliAsync("machine", "start", "cli-small", "--memory", "128m");
        Assert.Equal((1, "lab: machine 'cli-small' is running with other limits; stop it to change them\n"), (change.ExitCode, change.Error));
        Assert.Equal(0, (await server.RunCliAsync("machine", "rm", "cli-small")).ExitCode);
    }

    [Theory]
    [InlineData("--memory", "lots", "invalid size 'lots'")]
    [InlineData("--memory", "1m", "below the minimum of 32 MiB")]
    [InlineData("--pids", "2", "below the minimum of 16")]
    [InlineData("--cpus", "0", "must be between 0.01")]
    public async Task Impossible_limits_are_refused_with_a_reason(string option, string value, string reason)
    {
        var start = await server.RunCliAsync("machine", "start", "cli-bad", option, value);
        Assert.Equal(1, start.ExitCode);
        Assert.Contains(reason, start.Error);
        Assert.Null(server.Machines.Find("cli-bad"));
    }

    [Fact]
    public async Task Exec_output_arrives_while_the_command_still_runs()
    {
        await server.Machines.StartAsync("cli-live");
        var firstLine = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stdout = new NotifyingStream(text => firstLine.TrySetResult(text));

        var console = new CliConsole(TextWriter.Null, TextWriter.Null, stdout, Stream.Null);
        var exec = LabCommand.InvokeAsync(server.Settings, console,
            ["machine", "exec", "cli-live", "--", "/bin/sh", "-c", "echo first; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo second"]);

        Assert.Equal("first\n", await firstLine.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.False(exec.IsCompleted);
        Assert.Equal(0, await server.Machines.ExecAsync("cli-live", ["/bin/touch", "/tmp/go"], Stream.Null, Stream.Null));
        Assert.Equal(0, await exec.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal("first\nsecond\n", stdout.Text);
    }

    [Theory]
    [InlineData("start", "Bad_Name")]
    [InlineData("stop", "-dash")]
    [InlineData("rm", "a..b")]
    public async Task An_invalid_name_is_explained_and_exits_1(string verb, string name)
    {
        var result = await server.RunCliAsync("machine", verb, name);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"lab: invalid machine name '{name}': use 1-63 lowercase letters, digits and '-', not starting or ending with '-'\n", result.Error);
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("rm")]
    public async Task An_unknown_machine_is_reported_and_exits_1(string verb)
    {
        var result = await server.RunCliAsync("machine", verb, "nosuch");

        Assert.Equal((1, "lab: no such machine: nosuch\n"), (result.ExitCode, result.Error));
    }

    [Fact]
    public async Task Exec_in_an_unknown_machine_is_reported_and_exits_1()
    {
        var result = await server.RunCliAsync("machine", "exec", "nosuch", "--", "true");

        Assert.Equal((1, "lab: no such machine: nosuch\n"), (result.ExitCode, result.Error));
    }

    [Fact]
    public async Task The_control_socket_is_for_root_only_and_the_api_is_not_served_over_tcp()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(server.ControlSocketPath));

        using var browser = await server.CreateBrowser().SignUpAsync("nosy");
        using var overTcp = await browser.Http.GetAsync("/control/machines/");
        Assert.Equal(HttpStatusCode.NotFound, overTcp.StatusCode);
        using var execOverTcp = await browser.Http.PostAsync("/control/machines/x/exec", new StringContent("{\"argv\":[\"true\"]}",
            System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, execOverTcp.StatusCode);
    }

    [Fact]
    public async Task A_second_server_on_the_same_data_dir_refuses_to_start()
    {
        var error = new StringWriter();
        var console = new CliConsole(TextWriter.Null, error, Stream.Null, Stream.Null);

        var code = await ServeCommand.RunAsync(server.Settings, console, CancellationToken.None);

        Assert.Equal(1, code);
        Assert.Equal($"lab: another lab server is already running with LAB_DATA={server.DataDir} (its socket {server.ControlSocketPath} answers)\n",
            error.ToString());
        Assert.Equal(0, (await server.RunCliAsync("machine", "ls")).ExitCode);
    }

    private sealed class NotifyingStream(Action<string> onFirstWrite) : MemoryStream
    {
        private bool notified;

        public string Text => System.Text.Encoding.UTF8.GetString(ToArray());

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            await base.WriteAsync(buffer, ct);
            if (!notified)
            {
                notified = true;
                onFirstWrite(Text);
            }
        }
    }
}
