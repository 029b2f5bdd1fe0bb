using System.Net.Sockets;
using Lab.Web.Cli;
using Lab.Web.Tests.Support;

namespace Lab.Web.Tests.Control;

public sealed class ServerNotRunningTests : IDisposable
{
    private readonly string dataDir = Directory.CreateTempSubdirectory(StaleTestState.OwnPrefix).FullName;

    private async Task<(int Code, string Error)> RunAsync(params string[] args)
    {
        var error = new StringWriter();
        var code = await LabCommand.InvokeAsync(new Dictionary<string, string?> { ["Lab:DataDir"] = dataDir },
            new CliConsole(TextWriter.Null, error, Stream.Null, Stream.Null), args);
        return (code, error.ToString());
    }

    [Fact]
    public async Task Without_a_server_the_command_says_how_to_start_it()
    {
        var (code, error) = await RunAsync("machine", "ls");

        Assert.Equal(1, code);
        Assert.Equal($"lab: lab server is not running (no socket at {dataDir}/control.sock); start it with `make run` or `bin/lab serve`\n", error);
    }

    [Fact]
    public async Task A_socket_left_by_a_dead_server_is_recognised()
    {
        // .NET unlinks a socket file when its socket is closed; renamed first, the file outlives it, as it
        // does when a server is killed.
        using (var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            listener.Bind(new UnixDomainSocketEndPoint(Path.Combine(dataDir, "dying.sock")));
            File.Move(Path.Combine(dataDir, "dying.sock"), Path.Combine(dataDir, "control.sock"));
        }

        var (code, error) = await RunAsync("machine", "exec", "m1", "--", "true");

        Assert.Equal(1, code);
        Assert.Equal($"lab: lab server is not running (stale socket at {dataDir}/control.sock); start it with `make run` or `bin/lab serve`\n", error);
    }

    [Fact]
    public async Task A_relative_data_dir_is_refused_before_anything_else()
    {
        var error = new StringWriter();
        var code = await LabCommand.InvokeAsync(new Dictionary<string, string?> { ["Lab:DataDir"] = "relative/dir" },
            new CliConsole(TextWriter.Null, error, Stream.Null, Stream.Null), ["machine", "ls"]);

        Assert.Equal(1, code);
        Assert.Equal("lab: LAB_DATA must be an absolute path (got 'relative/dir')\n", error.ToString());
    }

    public void Dispose() => Directory.Delete(dataDir, recursive: true);
}
