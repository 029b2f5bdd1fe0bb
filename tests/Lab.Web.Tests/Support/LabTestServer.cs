using Lab.Runtime.Images;
using Lab.Runtime.Machines;
using Lab.Web.Cli;
using Lab.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Lab.Web.Tests.Support;

/// <summary>The real server (Program.BuildServer + ServerStartup, as `lab serve` runs it) on a free loopback
/// port, with its own temporary LAB_DATA (SQLite file, keys, control socket), its own cgroup parent and the
/// test course. Disposal removes every machine it started, its cgroups and its files, even after a failure.</summary>
public sealed class LabTestServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private LabTestServer(WebApplication app, string root, IReadOnlyDictionary<string, string?> settings, StringWriter console)
    {
        this.app = app;
        Root = root;
        Settings = settings;
        Console = console;
    }

    /// <summary>The temporary folder holding the data dir and the test course.</summary>
    public string Root { get; }

    public string DataDir => Path.Combine(Root, "data");

    public string ControlSocketPath => Path.Combine(DataDir, "control.sock");

    /// <summary>The settings the server was built from: what `lab machine ...` needs to reach it.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>What the server printed while starting (image progress, address, setup link).</summary>
    public StringWriter Console { get; }

    public IServiceProvider Services => app.Services;

    public WebApplication App => app;

    public MachineHost Machines => app.Services.GetRequiredService<MachineHost>();

    public Uri BaseAddress { get; private set; } = null!;

    /// <param name="image">The machines' base image: the busybox recipe unless a test needs more.</param>
    /// <param name="prepareDataDir">Runs on the (existing, empty) data dir before the server starts.</param>
    public static async Task<LabTestServer> StartAsync(IBaseImage? image = null, Action<string>? prepareDataDir = null)
    {
        var root = NewRoot();
        var settings = SettingsFor(root);
        Directory.CreateDirectory(settings["Lab:DataDir"]!);
        prepareDataDir?.Invoke(settings["Lab:DataDir"]!);
        image ??= TestImages.Busybox;
        var app = Program.BuildServer(settings, services => services.AddSingleton(image));
        var console = new StringWriter();
        var server = new LabTestServer(app, root, settings, console);
        try
        {
            await ServerStartup.StartAsync(app, console, CancellationToken.None);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
                .First(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
            server.BaseAddress = new Uri(address);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A temporary folder holding the test course (the data dir goes in it too).</summary>
    public static string NewRoot()
    {
        StaleTestState.EnsureSwept();
        var root = Directory.CreateTempSubdirectory(StaleTestState.OwnPrefix).FullName;
        TestCourse.Write(Path.Combine(root, "courses"));
        return root;
    }

    /// <summary>The settings of a test server in <paramref name="root"/>: a free port, its own cgroup parent.</summary>
    public static Dictionary<string, string?> SettingsFor(string root) => new()
    {
        ["Lab:DataDir"] = Path.Combine(root, "data"),
        ["Lab:Urls"] = "http://127.0.0.1:0",
        ["Lab:CgroupParent"] = $"{StaleTestState.OwnPrefix}{Guid.NewGuid():N}"[..32],
        ["Courses:DefaultRoot"] = Path.Combine(root, "courses"),
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>The one-time admin setup link the server printed, if it printed one.</summary>
    public string? SetupLink =>
        Console.ToString().Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.Contains("/setup/", StringComparison.Ordinal));

    public TestBrowser CreateBrowser() => new(BaseAddress);

    /// <summary>Runs `lab ARGS...` the way the executable does, against this server; returns what it printed.</summary>
    public async Task<CliResult> RunCliAsync(params string[] args)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var outText = new StringWriter();
        var errText = new StringWriter();
        var code = await LabCommand.InvokeAsync(Settings, new CliConsole(outText, errText, stdout, stderr), args);
        return new CliResult(code,
            outText + System.Text.Encoding.UTF8.GetString(stdout.ToArray()),
            errText + System.Text.Encoding.UTF8.GetString(stderr.ToArray()));
    }

    public async ValueTask DisposeAsync()
    {
        MachineHost? machines = null;
        try
        {
            machines = app.Services.GetService<MachineHost>();
            foreach (var machine in machines?.List() ?? [])
            {
                await machines!.RemoveAsync(machine.Name);
            }
        }
        finally
        {
            try
            {
                await app.StopAsync();
            }
            catch (InvalidOperationException)
            {
                // Never started.
            }

            machines?.Cgroups.RemoveParent();
            await app.DisposeAsync();
            SqliteConnection.ClearPool(new SqliteConnection($"Data Source={Path.Combine(DataDir, "lab.db")}"));
            Directory.Delete(Root, recursive: true);
        }
    }
}

public sealed record CliResult(int ExitCode, string Out, string Error);
