using System.Formats.Tar;
using Lab.Engine.Tests.Support;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Machines;

namespace Lab.Engine.Tests.Api;

/// <summary>A machine's disk quota covers the image layers it holds privately (imported, loaded, committed, built),
/// seen as <c>df</c> inside it sees them: the real CLI adds and removes images, a real 64 MiB disk pays for them.
/// The base images (the store's library namespace, as the classroom's) cost nothing.</summary>
public sealed class ImageQuotaTests : IAsyncLifetime
{
    const long Disk = 64L << 20;
    const long MiB = 1L << 20;

    EngineTestServer _server = null!;
    readonly List<string> _machines = [];
    Descriptor _busybox = null!;

    public async Task InitializeAsync()
    {
        _server = await EngineTestServer.StartAsync(sharedImageStore: true);
        // The base busybox, as every machine pulls it from the classroom's library.
        _busybox = new TagStore(_server.Runtime.ImagesDir, ImageStore.Library).Resolve(Reference.Parse("busybox"))
            ?? throw new InvalidOperationException("the test image store has no library busybox");
    }

    public async Task DisposeAsync()
    {
        foreach (var machine in _machines)
        {
            await _server.Machines.RemoveAsync(machine);
            File.Delete(Path.Combine(_server.Runtime.ImagesDir, "names", machine + ".json"));
        }
        await _server.DisposeAsync();
    }

    /// <summary>A machine with a 64 MiB disk and the base busybox image; the injected caller is now it.</summary>
    async Task<string> StartMachineAsync()
    {
        var name = $"q-{Environment.ProcessId % 10000}-{Guid.NewGuid().ToString("N")[..6]}";
        _machines.Add(name);
        await _server.Machines.StartAsync(name, MachineLimits.Default with { DiskBytes = Disk });
        await new TagStore(_server.Runtime.ImagesDir, name).TagAsync(Reference.Parse("busybox"), _busybox);
        await Charge.Recomputed(name);
        _server.CallerMachine = name;
        return name;
    }

    MachineLayerCharge Charge => (MachineLayerCharge)_server.Containers.Images.Charge;

    Task<CliResult> Docker(params string[] args) => DockerCli.Cli28.RunAsync(_server, args);

    /// <summary>A tar holding one file of <paramref name="mib"/> MiB of random bytes (no compression can shrink it).</summary>
    static MemoryStream RandomTar(int mib, int seed)
    {
        var data = new byte[mib * MiB];
        new Random(seed).NextBytes(data);
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "blob.bin") { DataStream = new MemoryStream(data) });
        tar.Position = 0;
        return tar;
    }

    /// <summary>docker import of a file (the CLI may stop reading its stdin when the import is refused).</summary>
    async Task<CliResult> ImportAsync(int mib, string name, int seed = 1)
    {
        var path = Path.Combine(_server.Root, $"random-{mib}-{seed}.tar");
        if (!File.Exists(path))
            await using (var file = File.Create(path))
                await RandomTar(mib, seed).CopyToAsync(file);
        return await DockerCli.Cli28.RunAsync(_server, "import", path, name);
    }

    /// <summary>Bytes used on the machine's disk, as df inside shows them.</summary>
    async Task<long> UsedAsync(string machine)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var code = await _server.Machines.ExecAsync(machine, ["/bin/sh", "-c", "sync; df -k / | tail -n 1"], stdout, stderr);
        Assert.True(code == 0, System.Text.Encoding.UTF8.GetString(stderr.ToArray()));
        var fields = System.Text.Encoding.UTF8.GetString(stdout.ToArray()).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return long.Parse(fields[2]) * 1024;
    }

    static void AssertGrew(long before, long after, long by) =>
        Assert.True(after - before >= by && after - before <= by + MiB,
            $"df inside grew by {(after - before) / (double)MiB:0.##} MiB, expected {by / (double)MiB:0.##} MiB");

    static void AssertSame(long before, long after) =>
        Assert.True(Math.Abs(after - before) <= MiB,
            $"df inside moved by {(after - before) / (double)MiB:0.##} MiB, expected no change");

    [Fact]
    public async Task An_imported_image_is_charged_on_the_machines_disk_and_rmi_gives_the_space_back()
    {
        var machine = await StartMachineAsync();
        var before = await UsedAsync(machine);

        (await ImportAsync(16, "blob:v1")).Succeeded();
        AssertGrew(before, await UsedAsync(machine), 16 * MiB);

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
        Assert.Equal(0, await _server.Machines.ExecAsync(machine, ["/bin/sh", "-c", "echo kept > /root/mine"], Stream.Null, Stream.Null));
        var before = await UsedAsync(machine);

        var failed = await ImportAsync(80, "huge");

        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains($"disk quota ({Disk >> 20} MiB)", failed.Stderr);
        Assert.DoesNotContain("huge", (await Docker("images", "--format", "{{.Repository}}")).Succeeded().Stdout);
        AssertSame(before, await UsedAsync(machine));
        using var mine = new MemoryStream();
        await _server.Machines.ExecAsync(machine, ["/bin/cat", "/root/mine"], mine, Stream.Null);
        Assert.Equal("kept\n", System.Text.Encoding.UTF8.GetString(mine.ToArray()));
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
