using System.Formats.Tar;
using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Tests.Images.Oci;

/// <summary>What a namespace is charged for: the distinct layers of what it names, keeps untagged and keeps in its
/// build cache, less the library's; the charge reservation runs before a name is written, and a refusal leaves the
/// names as they were.</summary>
public sealed class PrivateLayersTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("lab-private-layers-").FullName;
    readonly ImageStore _store;

    public PrivateLayersTests() => _store = new ImageStore(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    async Task<LocalImage> ImageAsync(LocalImage? parent, int bytes, int seed)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"f{seed}") { DataStream = new MemoryStream(data) });
        tar.Position = 0;
        return await _store.CreateChildAsync(parent, tar, new ContainerConfig(), new HistoryEntry { CreatedBy = $"step {seed}" });
    }

    static long SizeOf(LocalImage image, int layer) => image.Manifest.Layers[layer].Size;

    [Fact]
    public async Task Layers_are_counted_once_and_the_librarys_are_free()
    {
        var library = await ImageAsync(null, 10_000, 1);
        var child = await ImageAsync(library, 20_000, 2);
        var sibling = await ImageAsync(library, 30_000, 3);
        await _store.Names(ImageStore.Library).TagAsync(Reference.Parse("base"), library.Target);
        var names = _store.Names("student");
        await names.TagAsync(Reference.Parse("base"), library.Target);
        await names.TagAsync(Reference.Parse("child:1"), child.Target);
        await names.TagAsync(Reference.Parse("child:2"), child.Target);

        Assert.Equal(SizeOf(child, 1), PrivateLayers.Of(_store, "student").Bytes);
        Assert.Equal(SizeOf(child, 1) + SizeOf(sibling, 1), PrivateLayers.Of(_store, "student", [sibling.Target]).Bytes);
        Assert.Equal(0, PrivateLayers.Of(_store, "someone-else").Bytes);
    }

    [Fact]
    public async Task Untagged_and_build_cache_images_hold_layers_too()
    {
        var untagged = await ImageAsync(null, 4_000, 4);
        var cached = await ImageAsync(null, 5_000, 5);
        _store.Untagged = ns => ns == "student" ? [untagged.Target] : [];
        _store.Cached = ns => ns == "student" ? [cached.Target, untagged.Target] : [];

        Assert.Equal(SizeOf(untagged, 0) + SizeOf(cached, 0), PrivateLayers.Of(_store, "student").Bytes);
    }

    [Fact]
    public async Task A_name_that_is_refused_its_charge_is_not_written()
    {
        var image = await ImageAsync(null, 6_000, 6);
        var refusing = new RefusingCharge();
        _store.Charge = refusing;
        var names = _store.Names("student");

        var error = await Assert.ThrowsAsync<LabException>(() => names.TagAsync(Reference.Parse("big"), image.Target));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Null(names.Resolve(Reference.Parse("big")));
        Assert.Equal([image.Target.Digest], refusing.Asked.Select(d => d.Digest));
        // Removing a name brings nothing new: it is never refused.
        _store.Charge = NoLayerCharge.Instance;
        await _store.Names("student").TagAsync(Reference.Parse("big"), image.Target);
        _store.Charge = refusing;
        Assert.True(await _store.Names("student").UntagAsync(Reference.Parse("big")));
    }

    sealed class RefusingCharge : ILayerCharge
    {
        public List<Descriptor> Asked { get; } = [];

        public Task CommitAsync(string @namespace, IEnumerable<Descriptor> adding, Func<Task> commit, CancellationToken ct)
        {
            var added = adding.ToList();
            if (added.Count == 0) return commit();
            Asked.AddRange(added);
            throw new LabException(ErrorKind.Conflict, "no room");
        }

        public Task SettleAsync(string @namespace, CancellationToken ct) => Task.CompletedTask;
    }
}
