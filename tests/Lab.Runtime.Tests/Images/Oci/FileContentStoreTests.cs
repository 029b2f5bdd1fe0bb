using System.Text;
using Lab.Runtime.Images;
using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Tests.Images.Oci;

public sealed class FileContentStoreTests : ContentStoreContract, IDisposable
{
    readonly ImageTestDir _dir = new();
    string Root => _dir.Combine("store");

    protected override IContentStore CreateStore() => new FileContentStore(Root);

    [Fact]
    public async Task Blobs_are_read_only_files_under_blobs_sha256_named_by_their_hex()
    {
        var info = await CreateStore().WriteAsync(new MemoryStream("layer"u8.ToArray()));

        var path = Path.Combine(Root, "blobs", "sha256", info.Digest.Hex);
        Assert.Equal("layer", File.ReadAllText(path));
        Assert.Equal((UnixFileMode)0b100_100_100, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_refused_write_leaves_the_ingest_area_empty()
    {
        var store = CreateStore();

        await Assert.ThrowsAsync<DigestMismatchException>(
            () => store.WriteAsync(new MemoryStream("x"u8.ToArray()), Digest.Of("y"u8)));

        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Root, "ingest")));
    }

    [Fact]
    public async Task A_failing_source_stream_leaves_nothing_in_ingest_or_blobs()
    {
        var store = CreateStore();

        await Assert.ThrowsAsync<IOException>(() => store.WriteAsync(new FailingStream()));

        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Root, "ingest")));
        Assert.Empty(store.List());
    }

    [Fact]
    public async Task Layer_tars_committed_by_the_recipe_layer_store_are_blobs_of_the_content_store()
    {
        var layers = new LayerStore(Root);
        var rootfs = Directory.CreateDirectory(Path.Combine(layers.CreateScratchDir("img"), "rootfs")).FullName;
        File.WriteAllText(Path.Combine(rootfs, "hello"), "hi");
        var layer = await layers.CommitAsync(rootfs);

        var store = CreateStore();

        Assert.Equal([Digest.Parse(layer.Digest)], store.List());
        Assert.Equal(layer.Size, store.SizeOf(Digest.Parse(layer.Digest)));
    }

    [Fact]
    public void Stray_files_in_the_blobs_folder_are_not_listed()
    {
        Directory.CreateDirectory(Path.Combine(Root, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(Root, "blobs", "sha256", "not-a-digest"), "");

        Assert.Empty(CreateStore().List());
    }

    sealed class FailingStream : ForwardReadStream
    {
        int _reads;
        public override int Read(byte[] buffer, int offset, int count) =>
            _reads++ == 0 ? Encoding.ASCII.GetBytes("partial", 0, 7, buffer, offset) : throw new IOException("disk gone");
    }

    public void Dispose() => _dir.Dispose();
}
