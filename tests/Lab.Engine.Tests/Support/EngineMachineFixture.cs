namespace Lab.Engine.Tests.Support;

/// <summary>A lab machine of its own for a test class (booted once for all its tests).</summary>
public sealed class EngineMachineFixture : IAsyncLifetime
{
    public EngineTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await EngineTestServer.StartAsync(sharedImageStore: true);
        await Server.StartMachineAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
