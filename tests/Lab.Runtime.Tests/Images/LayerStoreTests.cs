using System.Formats.Tar;
using System.Security.Cryptography;
using Lab.Runtime.Images;

namespace Lab.Runtime.Tests.Images;

public sealed class LayerStoreTests : IDisposable
{
    readonly ImageTestDir _dir = new();

    [Fact]
    public async Task Commit_moves_the_tree_into_layers_and_writes_its_tar_as_a_blob()
    {
        var store = new LayerStore(_dir.Combine("store"));
        var rootfs = Directory.CreateDirectory(Path.Combine(store.CreateScratchDir("img"), "rootfs")).FullName;
        File.WriteAllText(Path.Combine(rootfs, "hello"), "hi");

        var layer = await store.CommitAsync(rootfs);

        Assert.False(Directory.Exists(rootfs));
        Assert.Equal(store.LayerPath(layer.Digest), layer.Path);
        Assert.Equal("hi", File.ReadAllText(Path.Combine(layer.Path, "hello")));
        var blob = await File.ReadAllBytesAsync(store.BlobPath(layer.Digest));
        Assert.Equal(layer.Digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob)));
        Assert.Equal(blob.Length, layer.Size);
        using var tar = new TarReader(new MemoryStream(blob));
        Assert.Equal("hello", tar.GetNextEntry()!.Name);
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("sha256:../../etc")]
    [InlineData("sha512:0000")]
    [InlineData("sha256:ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    public void Paths_are_only_made_from_well_formed_sha256_digests(string digest)
    {
        var store = new LayerStore(_dir.Combine("store"));

        var error = Assert.Throws<LabException>(() => store.LayerPath(digest));

        Assert.Equal(ErrorKind.InvalidParameter, error.Kind);
    }

    public void Dispose() => _dir.Dispose();
}
