using Lab.Engine.Registry.Hosting;
using Lab.Engine.Tests.Registry.Support;
using Lab.Runtime.Images.Oci;
using Microsoft.AspNetCore.Builder;

namespace Lab.Engine.Tests.Support;

/// <summary>A lab machine whose engine pulls docker.io/library from a classroom registry of its own. The registry
/// serves the shared test store, where the busybox recipe image is published under a library name of this
/// instance's own (<see cref="Name"/>, untagged again at the end).</summary>
public sealed class LibraryRegistryMachine : IAsyncDisposable
{
    private readonly string _root;
    private readonly WebApplication _registry;

    private LibraryRegistryMachine(string name, string root, WebApplication registry, EngineTestServer server)
    {
        Name = name;
        _root = root;
        _registry = registry;
        Server = server;
    }

    /// <summary>The image's name in the library, e.g. <c>lab-test-pull-0123456789</c>.</summary>
    public string Name { get; }

    public EngineTestServer Server { get; }

    public static async Task<LibraryRegistryMachine> StartAsync(string prefix)
    {
        var name = $"lab-test-{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 20)];
        var root = Directory.CreateTempSubdirectory(StaleTestState.OwnPrefix + prefix + "-").FullName;
        var options = new RegistryOptions
        {
            Urls = "http://127.0.0.1:0", DataDir = Path.Combine(root, "data"), StoreDir = TestImages.StoreDir,
        };
        var manifest = await RecipeImageConverter.ToOciImageAsync(TestImages.Recipe("busybox"),
            new ContainerConfig { Cmd = ["sh"], Env = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"] },
            new FileContentStore(TestImages.StoreDir));
        await new TagStore(TestImages.StoreDir, ImageStore.Library).TagAsync(Reference.Parse(name), manifest);
        var registry = ClassroomRegistry.Build(options, new TestAccounts());
        await registry.StartAsync();
        var server = await EngineTestServer.StartAsync(sharedImageStore: true, classroomRegistry: ClassroomRegistry.Addresses(registry)[0]);
        await server.StartMachineAsync();
        return new LibraryRegistryMachine(name, root, registry, server);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await _registry.StopAsync();
        await _registry.DisposeAsync();
        await new TagStore(TestImages.StoreDir, ImageStore.Library).UntagAsync(Reference.Parse(Name));
        Directory.Delete(_root, recursive: true);
    }
}
