using Lab.Web.Tests.Support;

namespace Lab.Web.Tests.Classes;

/// <summary>One real server (own data dir and SQLite file) for a test class; each test uses its own user names.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public LabTestServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await LabTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
