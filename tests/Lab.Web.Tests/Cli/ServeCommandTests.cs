using System.Net.Sockets;
using Lab.Runtime.Images;
using Lab.Web.Cli;
using Lab.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Lab.Web.Tests.Cli;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task A_failed_image_build_names_the_step_and_the_log_and_exits_1()
    {
        var root = LabTestServer.NewRoot();
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var failing = new FailingImage(new ImageBuildException("lab-machine", "debootstrap bookworm", "/var/lib/lab/images/logs/x.log"));

            var code = await ServeCommand.RunAsync(LabTestServer.SettingsFor(root), new CliConsole(output, error, Stream.Null, Stream.Null),
                CancellationToken.None, services => services.AddSingleton<IBaseImage>(failing));

            Assert.Equal(1, code);
            Assert.Contains("Checking the lab-machine image", output.ToString());
            Assert.Equal("lab: building image 'lab-machine' failed at step 'debootstrap bookworm'; full log: /var/lib/lab/images/logs/x.log\n",
                error.ToString());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Settings_that_cannot_work_are_listed_and_exit_1()
    {
        var root = LabTestServer.NewRoot();
        try
        {
            var settings = LabTestServer.SettingsFor(root);
            settings["Lab:Urls"] = "https://127.0.0.1:0";
            var error = new StringWriter();

            var code = await ServeCommand.RunAsync(settings, new CliConsole(TextWriter.Null, error, Stream.Null, Stream.Null), CancellationToken.None);

            Assert.Equal(1, code);
            Assert.Equal("lab: LAB_URLS: 'https://127.0.0.1:0' is not an address to listen on, such as http://127.0.0.1:5080 (http only, no path)\n",
                error.ToString());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_socket_left_by_a_killed_server_does_not_stop_the_next_one()
    {
        await using var server = await LabTestServer.StartAsync(prepareDataDir: dataDir =>
        {
            // .NET unlinks a socket file when its socket closes; renamed first, it outlives it like after kill -9.
            using var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            dead.Bind(new UnixDomainSocketEndPoint(Path.Combine(dataDir, "dying.sock")));
            File.Move(Path.Combine(dataDir, "dying.sock"), Path.Combine(dataDir, "control.sock"));
        });

        var ls = await server.RunCliAsync("machine", "ls");

        Assert.Equal((0, ""), (ls.ExitCode, ls.Error));
    }

    private sealed class FailingImage(Exception failure) : IBaseImage
    {
        public string Name => "lab-machine";

        public Task<string> EnsureBuiltAsync(IProgress<string>? progress = null, CancellationToken ct = default) =>
            Task.FromException<string>(failure);
    }
}
