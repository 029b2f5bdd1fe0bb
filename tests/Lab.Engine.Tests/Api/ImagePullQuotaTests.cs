using Lab.Engine.Registry.Hosting;
using Lab.Engine.Registry.Server;
using Lab.Engine.Tests.Registry.Support;
using Lab.Engine.Tests.Support;
using Lab.Runtime.Images.Oci;
using Microsoft.AspNetCore.Builder;

namespace Lab.Engine.Tests.Api;

/// <summary>`docker pull` of an image of a student's registry namespace from the classroom registry charges each machine that pulls it (the
/// layers are stored once on the host, but each machine holds them privately); the library's base images do not.</summary>
public sealed class ImagePullQuotaTests : IAsyncLifetime
{
    const long MiB = SmallDiskMachines.MiB;

    // A student's own registry namespace (pulls from it need a login); the repository is this test's own.
    const string Owner = "alice";
    readonly string _repo = $"{Owner}/quota-{Guid.NewGuid():N}"[..24];
    readonly string _root = Directory.CreateTempSubdirectory(StaleTestState.OwnPrefix + "pull-quota-").FullName;
    WebApplication _registry = null!;
    EngineTestServer _server = null!;
    SmallDiskMachines _machines = null!;

    static string OwnerNamespace => RepositoryName.TagStoreNamespaceOf(Owner);

    public async Task InitializeAsync()
    {
        // The image: one 12 MiB layer of the same bytes each run (one blob in the shared test store).
        var store = new ImageStore(TestImages.StoreDir);
        var image = await store.CreateChildAsync(null, SmallDiskMachines.RandomTar(12, seed: 42),
            new ContainerConfig { Cmd = ["sh"] }, new HistoryEntry { CreatedBy = "quota test", Created = DateTimeOffset.UnixEpoch });
        await store.Names(OwnerNamespace).TagAsync(Reference.Parse(_repo), image.Target);

        var options = new RegistryOptions
        {
            Urls = "http://127.0.0.1:0", DataDir = Path.Combine(_root, "data"), StoreDir = TestImages.StoreDir,
        };
        _registry = ClassroomRegistry.Build(options, new TestAccounts());
        await _registry.StartAsync();
        _server = await EngineTestServer.StartAsync(sharedImageStore: true, classroomRegistry: ClassroomRegistry.Addresses(_registry)[0]);
        _machines = new SmallDiskMachines(_server);
    }

    public async Task DisposeAsync()
    {
        await _machines.DisposeAsync();
        await _server.DisposeAsync();
        await _registry.StopAsync();
        await _registry.DisposeAsync();
        await new TagStore(TestImages.StoreDir, OwnerNamespace).UntagAsync(Reference.Parse(_repo));
        Directory.Delete(_root, recursive: true);
    }

    Task<CliResult> Docker(params string[] args) => DockerCli.Cli28.RunAsync(_server, args);

    [Fact]
    public async Task Two_machines_pulling_the_same_private_image_are_each_charged_and_a_base_image_is_free()
    {
        var first = await _machines.StartAsync();
        var second = await _machines.StartAsync();
        var (before1, before2) = (await _machines.UsedAsync(first), await _machines.UsedAsync(second));
        (await Docker("login", "-u", Owner, "-p", TestAccounts.PasswordOf(Owner))).Succeeded();

        _server.CallerMachine = first;
        (await Docker("pull", _repo)).Succeeded();
        _server.CallerMachine = second;
        (await Docker("pull", _repo)).Succeeded();
        (await Docker("pull", "busybox")).Succeeded(); // the library's: every machine has it for free

        SmallDiskMachines.AssertGrew(before1, await _machines.UsedAsync(first), 12 * MiB);
        SmallDiskMachines.AssertGrew(before2, await _machines.UsedAsync(second), 12 * MiB);

        (await Docker("rmi", _repo)).Succeeded();
        SmallDiskMachines.AssertSame(before2, await _machines.UsedAsync(second));
        SmallDiskMachines.AssertGrew(before1, await _machines.UsedAsync(first), 12 * MiB);
    }
}
