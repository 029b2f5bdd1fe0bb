using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary>One busybox lab machine shared by a network test class (a boot per test would dominate the run); each
/// test uses names of its own.</summary>
public sealed class NetworkMachineFixture : IAsyncLifetime
{
    public EngineTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await EngineTestServer.StartAsync(sharedImageStore: true);
        await Server.StartMachineAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<CliResult> Docker(params string[] args) => DockerCli.Named("cli28").RunAsync(Server, args);

    public Task<CliResult> Docker20(params string[] args) => DockerCli.Named("cli20").RunAsync(Server, args);

    /// <summary>`docker run ARGS` in the foreground, then the container removed: its exit code is the command's
    /// (`run --rm` is not used: its exit code is not reliable yet).</summary>
    public async Task<CliResult> RunOnce(params string[] args)
    {
        var name = Unique("once");
        var result = await Docker(["run", "--name", name, .. args]);
        await Docker("rm", "-f", name);
        return result;
    }

    /// <summary>A name unique to this run, so tests sharing the machine never collide.</summary>
    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
}
