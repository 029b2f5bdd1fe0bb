using Lab.Engine.Registry.Hosting;
using Lab.Runtime.Images.Oci;
using Microsoft.AspNetCore.Builder;

namespace Lab.Engine.Tests.Registry.Support;

/// <summary>The classroom registry on a free loopback port, with its own temporary store and data dir
/// (<c>lab-test-&lt;pid&gt;-</c>, swept if a run dies) and the <see cref="TestAccounts"/>.</summary>
public sealed class RegistryTestServer : IAsyncDisposable
{
    readonly WebApplication _app;

    RegistryTestServer(WebApplication app, string root, RegistryOptions options, TestAccounts accounts)
    {
        _app = app;
        Root = root;
        Options = options;
        Accounts = accounts;
    }

    public string Root { get; }
    public TestAccounts Accounts { get; }
    public RegistryOptions Options { get; }
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>host:port, as image references name the registry.</summary>
    public string Host => $"{BaseAddress.Host}:{BaseAddress.Port}";

    public FileContentStore Store => new(Options.StoreDir);

    public static async Task<RegistryTestServer> StartAsync(long maxBlobSize = 1L << 30)
    {
        var root = Directory.CreateTempSubdirectory(StaleTestState.OwnPrefix + "registry-").FullName;
        var options = new RegistryOptions
        {
            Urls = "http://127.0.0.1:0",
            DataDir = Path.Combine(root, "data"),
            StoreDir = Path.Combine(root, "data", "images"),
            MaxBlobSize = maxBlobSize,
        };
        var accounts = new TestAccounts();
        var app = ClassroomRegistry.Build(options, accounts);
        var server = new RegistryTestServer(app, root, options, accounts);
        await app.StartAsync();
        server.BaseAddress = ClassroomRegistry.Addresses(app)[0];
        return server;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
