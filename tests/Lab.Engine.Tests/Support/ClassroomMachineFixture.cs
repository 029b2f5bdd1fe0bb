using Lab.Engine.Tests.Registry.Support;

namespace Lab.Engine.Tests.Support;

/// <summary>A lab machine whose engine maps docker.io to a classroom registry of its own (free port, own store,
/// the <see cref="TestAccounts"/>), booted once for a test class.</summary>
public sealed class ClassroomMachineFixture : IAsyncLifetime
{
    public RegistryTestServer Registry { get; private set; } = null!;
    public EngineTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Registry = await RegistryTestServer.StartAsync();
        Server = await EngineTestServer.StartAsync(sharedImageStore: true, classroomRegistry: Registry.BaseAddress);
        await Server.StartMachineAsync();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Registry.DisposeAsync();
    }
}
