using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Lab.Engine.Tests.Support;
using Lab.Runtime.Machines;

namespace Lab.Engine.Tests.Api;

/// <summary>`docker load` and `docker import` refused part-way — by the machine's disk quota, or because the archive
/// is bad after some of its blobs were stored — leave the shared store's blobs and layer directories as they were.</summary>
public sealed class RefusedImageWritesTests : IAsyncLifetime
{
    EngineTestServer _server = null!;
    string _machine = "";

    // A machine with a 64 MiB disk (no base image needed: the archives here are all it holds); the shared store,
    // where other test classes write meanwhile, so that what must stay is shared too.
    public async Task InitializeAsync()
    {
        _server = await EngineTestServer.StartAsync(sharedImageStore: true);
        _machine = $"u-{Environment.ProcessId % 10000}-{Guid.NewGuid().ToString("N")[..6]}";
        await _server.Machines.StartAsync(_machine, MachineLimits.Default with { DiskBytes = SmallDiskMachines.Disk });
        await ((MachineLayerCharge)_server.Containers.Images.Charge).Recomputed(_machine);
        _server.CallerMachine = _machine;
    }

    public async Task DisposeAsync()
    {
        await _server.Machines.RemoveAsync(_machine);
        File.Delete(Path.Combine(_server.Runtime.ImagesDir, "names", _machine + ".json"));
        await _server.DisposeAsync();
    }

    string BlobsDir => Path.Combine(_server.Runtime.ImagesDir, "blobs", "sha256");
    string LayersDir => Path.Combine(_server.Runtime.ImagesDir, "layers", "sha256");

    [Fact]
    public async Task A_load_refused_by_the_disk_quota_leaves_the_stores_blobs_as_they_were()
    {
        var archive = DockerArchive(layerMiB: 80, extraLayer: false, out var layer, out var config);
        var blobsBefore = Names(BlobsDir);

        var failed = await DockerCli.Cli28.RunAsync(_server, "load", "-i", archive);

        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains($"disk quota ({SmallDiskMachines.Disk >> 20} MiB)", failed.Stderr);
        AssertNothingLeft(blobsBefore, layer, config);
    }

    [Fact]
    public async Task A_load_of_an_archive_missing_a_layer_leaves_the_stores_blobs_as_they_were()
    {
        var archive = DockerArchive(layerMiB: 1, extraLayer: true, out var layer, out var config);
        var blobsBefore = Names(BlobsDir);

        var failed = await DockerCli.Cli28.RunAsync(_server, "load", "-i", archive);

        Assert.NotEqual(0, failed.ExitCode);
        Assert.Contains("has no file 'missing/layer.tar'", failed.Stderr);
        AssertNothingLeft(blobsBefore, layer, config);
    }

    [Fact]
    public async Task An_import_refused_by_the_disk_quota_leaves_the_stores_blobs_as_they_were()
    {
        // 40 MiB of the 64 taken by the student's files: a 30 MiB image does not fit beside them.
        using var output = new MemoryStream();
        Assert.Equal(0, await _server.Machines.ExecAsync(_machine, ["/bin/sh", "-c", "dd if=/dev/zero of=/root/fill bs=1M count=40 && sync"], output, output));
        var layer = SmallDiskMachines.RandomTar(30, RandomNumberGenerator.GetInt32(int.MaxValue)).ToArray();
        var layerHex = Convert.ToHexStringLower(SHA256.HashData(layer));
        var path = Path.Combine(_server.Root, $"import-{layerHex[..8]}.tar");
        await File.WriteAllBytesAsync(path, layer);
        var blobsBefore = Names(BlobsDir);
        try
        {
            var failed = await DockerCli.Cli28.RunAsync(_server, "import", path, "imported");

            Assert.NotEqual(0, failed.ExitCode);
            Assert.Contains($"disk quota ({SmallDiskMachines.Disk >> 20} MiB)", failed.Stderr);
            AssertNothingLeft(blobsBefore, layerHex, layerHex); // its config names the layer by its diff id, its digest
        }
        finally
        {
            await _server.Machines.ExecAsync(_machine, ["rm", "/root/fill"], output, output);
        }
    }

    [Fact]
    public async Task A_load_that_fits_keeps_its_blobs()
    {
        var archive = DockerArchive(layerMiB: 1, extraLayer: false, out var layer, out var config);

        (await DockerCli.Cli28.RunAsync(_server, "load", "-i", archive)).Succeeded();

        Assert.True(File.Exists(Path.Combine(BlobsDir, layer)));
        Assert.True(File.Exists(Path.Combine(BlobsDir, config)));
    }

    // Other test classes write to the shared store meanwhile: what this load added is recognised by its content
    // (the layer and config are new random blobs; what the importer made — a manifest, a config — names
    // <paramref name="named"/>).
    void AssertNothingLeft(IReadOnlySet<string> blobsBefore, string layer, string named)
    {
        Assert.False(File.Exists(Path.Combine(BlobsDir, layer)), "the layer blob stayed");
        Assert.False(File.Exists(Path.Combine(BlobsDir, named)), $"blob {named} stayed");
        Assert.False(Directory.Exists(Path.Combine(LayersDir, layer)), "a layer directory was made");
        foreach (var added in Names(BlobsDir).Except(blobsBefore))
        {
            var path = Path.Combine(BlobsDir, added);
            if (new FileInfo(path).Length < 64 * 1024)
                Assert.DoesNotContain(named, File.ReadAllText(path));
        }
    }

    static HashSet<string> Names(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFiles(dir).Select(Path.GetFileName).OfType<string>().ToHashSet() : [];

    /// <summary>A docker save archive of one image with a random layer (new to the store); with
    /// <paramref name="extraLayer"/> its manifest also lists a layer file the archive lacks.</summary>
    string DockerArchive(int layerMiB, bool extraLayer, out string layerHex, out string configHex)
    {
        var layer = SmallDiskMachines.RandomTar(layerMiB, RandomNumberGenerator.GetInt32(int.MaxValue)).ToArray();
        layerHex = Convert.ToHexStringLower(SHA256.HashData(layer));
        var diffIds = extraLayer ? $"\"sha256:{layerHex}\",\"sha256:{new string('0', 64)}\"" : $"\"sha256:{layerHex}\"";
        var config = Encoding.UTF8.GetBytes(
            """{"architecture":"amd64","os":"linux","config":{"Cmd":["sh"]},"rootfs":{"type":"layers","diff_ids":[""" + diffIds + "]}}");
        configHex = Convert.ToHexStringLower(SHA256.HashData(config));
        var layers = extraLayer ? $"\"{layerHex}/layer.tar\",\"missing/layer.tar\"" : $"\"{layerHex}/layer.tar\"";
        var manifest = Encoding.UTF8.GetBytes(
            $$"""[{"Config":"{{configHex}}.json","RepoTags":["undo-{{layerHex[..8]}}:latest"],"Layers":[{{layers}}]}]""");

        var path = Path.Combine(_server.Root, $"archive-{layerHex[..8]}.tar");
        using (var file = File.Create(path))
        using (var tar = new TarWriter(file, TarEntryFormat.Pax))
        {
            // Layers first, the index last, as a streaming reader must cope with.
            Add(tar, $"{layerHex}/layer.tar", layer);
            Add(tar, $"{configHex}.json", config);
            Add(tar, "manifest.json", manifest);
        }
        return path;
    }

    static void Add(TarWriter tar, string name, byte[] data) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(data), ModificationTime = DateTimeOffset.UnixEpoch,
        });
}
