using System.Text;
using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Tests.Images.Oci;

/// <summary>Undoing what a failed image operation wrote into the shared content store: only its own new blobs, and
/// of those only what no image references and no other running operation holds.</summary>
public sealed class ContentWritesTests : IDisposable
{
    readonly ImageTestDir _dir = new();
    readonly FileContentStore _store;
    readonly List<Descriptor> _images = [];

    public ContentWritesTests() => _store = new FileContentStore(_dir.Combine("store"));

    public void Dispose() => _dir.Dispose();

    ContentWrites Begin() => new(_store, _store.Root, () => _images);

    static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Undo_removes_the_blobs_the_operation_added_and_keeps_those_that_were_there()
    {
        var before = await _store.WriteAsync(Bytes("there before"));
        using var writes = Begin();
        await writes.WriteAsync(Bytes("there before"));
        var added = await writes.WriteAsync(Bytes("added"));
        using (var staged = await writes.StageAsync(Bytes("staged, then committed")))
            staged.Commit();

        var removed = writes.Undo();

        Assert.Equal(2, removed.Count);
        Assert.Contains(added.Digest, removed);
        Assert.False(_store.Exists(added.Digest));
        Assert.True(_store.Exists(before.Digest));
        Assert.Equal([before.Digest], _store.List());
    }

    [Fact]
    public async Task Blobs_an_image_references_are_kept()
    {
        using var writes = Begin();
        var layer = await writes.WriteAsync(Bytes("layer"));
        var config = await writes.WriteAsync(Bytes("{}"));
        var stray = await writes.WriteAsync(Bytes("stray"));
        var manifest = await writes.WriteJsonAsync(new ImageManifest
        {
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = config.Digest, Size = config.Size },
            Layers = [new Descriptor { MediaType = MediaTypes.OciLayer, Digest = layer.Digest, Size = layer.Size }],
        }, MediaTypes.OciManifest);
        _images.Add(manifest); // another operation named it meanwhile

        var removed = writes.Undo();

        Assert.Equal([stray.Digest], removed);
        Assert.True(_store.Exists(manifest.Digest) && _store.Exists(config.Digest) && _store.Exists(layer.Digest));
    }

    [Fact]
    public async Task A_blob_another_running_operation_holds_is_kept_until_it_is_done()
    {
        using var failing = Begin();
        var blob = await failing.WriteAsync(Bytes("shared"));
        using (var other = Begin())
        {
            Assert.True(other.Exists(blob.Digest)); // it will name an image with it

            Assert.Empty(failing.Undo());
            Assert.True(_store.Exists(blob.Digest));
        }
        using var again = Begin();
        await again.WriteAsync(Bytes("shared"));
        Assert.Empty(again.Added); // there already: not this one's to take back
    }

    [Fact]
    public async Task A_store_of_another_root_is_not_held_by_this_one()
    {
        var elsewhere = new FileContentStore(_dir.Combine("other"));
        using var there = new ContentWrites(elsewhere, elsewhere.Root, () => []);
        var blob = await there.WriteAsync(Bytes("same bytes"));
        using var writes = Begin();
        await writes.WriteAsync(Bytes("same bytes"));

        Assert.Equal([blob.Digest], writes.Undo());
        Assert.True(elsewhere.Exists(blob.Digest));
    }
}
