using Lab.Engine.Tests.Support;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Machines;

namespace Lab.Engine.Tests.Api;

/// <summary>A machine's disk quota covers the image layers it holds privately (imported, loaded, committed, built; pulled: ImagePullQuotaTests),
/// seen as <c>df</c> inside it sees them: the real CLI adds and removes images, a real 64 MiB disk pays for them.
/// The base images (the store's library namespace, as the classroom's) cost nothing.</summary>
public sealed class ImageQuotaTests : IAsyncLifetime
{
    const long Disk = SmallDiskMachines.Disk;
    const long MiB = SmallDiskMachines.MiB;

    EngineTestServer _server = null!;
    SmallDiskMachines _machines = null!;

    public async Task InitializeAsync()
    {
        _server = await EngineTestServer.StartAsync(sharedImageStore: true);
        _machines = new SmallDiskMachines(_server);
    }

    public async Task DisposeAsync()
    {
        await _machines.DisposeAsync();
        await _server.DisposeAsync();
    }

    Task<string> StartMachineAsync() => _machines.StartAsync();

    Task<long> UsedAsync(string machine) => _machines.UsedAsync(machine);

    static MemoryStream RandomTar(int mib, int seed) => SmallDiskMachines.RandomTar(mib, seed);

    static void AssertGrew(long before, long after, long by) => SmallDiskMachines.AssertGrew(before, after, by);

    static void AssertSame(long before, long after) => SmallDiskMachines.AssertSame(before, after);

    Task<CliResult> Docker(params string[] args) => DockerCli.Cli28.RunAsync(_server, args);

    /// <summary>docker import of a file (the CLI may stop reading its stdin when the import is refused).</summary>
    async Task<CliResult> ImportAsync(int mib, string name, int seed = 1)
    {
        var path = Path.Combine(_server.Root, $"random-{mib}-{seed}.tar");
        if (!File.Exists(path))
            await using (var file = File.Create(path))
                await RandomTar(mib, seed).CopyToAsync(file);
        return await DockerCli.Cli28.RunAsync(_server, "import", path, name);
    }

    [Fact]
    public async Task An_imported_image_is_charged_on_the_machines_disk_and_rmi_gives_the_space_back()
    {
        var machine = await StartMachineAsync();
        var before = await UsedAsync(machine);

        (await ImportAsync(16, "blob:v1")).Succeeded();
        AssertGrew(before, await UsedAsync(machine), 16 * MiB);

        // docker save + rmi gives it back, docker load charges it again.
        var saved = Path.Combine(_server.Root, "blob.tar");
        (await Docker("save", "-o", saved, "blob:v1")).Succeeded();
        (await Docker("rmi", "blob:v1")).Succeeded();
        AssertSame(before, await UsedAsync(machine));
        (await Docker("load", "-i", saved)).Succeeded();
        AssertGrew(before, await UsedAsync(machine), 16 * MiB);

        // The charge is out of the student's sight, and nothing of it stays mounted on the host.
        Assert.Equal("", (await _machines.ShAsync(machine, "find / -xdev -name '*.charge' 2>/dev/null")).Out);
        Assert.DoesNotContain(Path.Combine(_server.Runtime.MachinesDir, machine), File.ReadAllText("/proc/self/mountinfo"));

        // A second name for the same image costs nothing more; the space comes back with the last name.
        (await Docker("tag", "blob:v1", "blob:v2")).Succeeded();
        AssertGrew(before, await UsedAsync(machine), 16 * MiB);
        (await Docker("rmi", "blob:v1", "blob:v2")).Succeeded();
        AssertSame(before, await UsedAsync(machine));
    }

    [Fact]
    public async Task An_image_larger_than_what_is_left_fails_naming_the_limit_and_the_machine_keeps_its_files()
    {
        var machine = await StartMachineAsync();
        Assert.Equal(0, (await _machines.ShAsync(machine, "echo kept > /root/mine")).Code);
        var before = await UsedAsync(machine);

        var failed = await ImportAsync(80, "huge");

        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains($"disk quota ({Disk >> 20} MiB)", failed.Stderr);
        Assert.DoesNotContain("huge", (await Docker("images", "--format", "{{.Repository}}")).Succeeded().Stdout);
        AssertSame(before, await UsedAsync(machine));
        Assert.Equal("kept\n", (await _machines.ShAsync(machine, "cat /root/mine")).Out);
        // What fits still goes in.
        (await ImportAsync(8, "small")).Succeeded();
        AssertGrew(before, await UsedAsync(machine), 8 * MiB);
    }

    [Fact]
    public async Task Committed_and_built_layers_are_charged_and_rmi_and_prune_give_them_back()
    {
        var machine = await StartMachineAsync();
        var before = await UsedAsync(machine);

        (await Docker("run", "--name", "writer", "busybox", "sh", "-c", "head -c 6291456 /dev/urandom > /data")).Succeeded();
        var withContainer = await UsedAsync(machine);
        (await Docker("commit", "writer", "snap")).Succeeded();
        AssertGrew(withContainer, await UsedAsync(machine), 6 * MiB);
        (await Docker("rm", "writer")).Succeeded();

        var context = Directory.CreateDirectory(Path.Combine(_server.Root, "context")).FullName;
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"),
            "FROM busybox\nRUN head -c 5242880 /dev/urandom > /built\n");
        var beforeBuild = await UsedAsync(machine);
        (await Docker("build", "--network", "none", "-t", "built", context)).Succeeded();
        AssertGrew(beforeBuild, await UsedAsync(machine), 5 * MiB);

        (await Docker("rmi", "snap", "built")).Succeeded();
        (await Docker("image", "prune", "-f")).Succeeded();
        // The build cache still holds the RUN step's layer: builder prune lets it go.
        (await Docker("builder", "prune", "-f")).Succeeded();
        AssertSame(before, await UsedAsync(machine));
    }

    [Fact]
    public async Task Two_machines_holding_the_same_private_image_are_each_charged_and_base_images_cost_nothing()
    {
        var first = await StartMachineAsync();
        var second = await StartMachineAsync();
        var (before1, before2) = (await UsedAsync(first), await UsedAsync(second));

        _server.CallerMachine = first;
        (await ImportAsync(12, "same", seed: 7)).Succeeded();
        _server.CallerMachine = second;
        (await ImportAsync(12, "same", seed: 7)).Succeeded();
        // busybox under another name: a base image's layers are the classroom's, not the machine's.
        (await Docker("tag", "busybox", "my-busybox")).Succeeded();

        AssertGrew(before1, await UsedAsync(first), 12 * MiB);
        AssertGrew(before2, await UsedAsync(second), 12 * MiB);
        Assert.InRange(PrivateLayers.Of(_server.Containers.Images, second).Bytes, 12 * MiB, 12 * MiB + 64 * 1024);
    }

    [Fact]
    public async Task A_restarted_server_recomputes_the_charge_from_the_machines_images()
    {
        var machine = await StartMachineAsync();
        var before = await UsedAsync(machine);
        (await ImportAsync(10, "gone-soon")).Succeeded();
        AssertGrew(before, await UsedAsync(machine), 10 * MiB);

        // As if the server died between a name's removal and the charge's settling: the charge is now too large.
        await new TagStore(_server.Runtime.ImagesDir, machine).UntagAsync(Reference.Parse("gone-soon"));
        AssertGrew(before, await UsedAsync(machine), 10 * MiB);

        // A new server: its machine host adopts the running machine and the charge is recomputed, not trusted.
        using var machines = new MachineHost(_server.Runtime, TestImages.Busybox);
        var store = new ImageStore(_server.Runtime.ImagesDir);
        var charge = MachineLayerCharge.Attach(machines, store);
        await machines.RecoverAsync();
        await charge.Recomputed(machine);
        AssertSame(before, await UsedAsync(machine));
    }
}
