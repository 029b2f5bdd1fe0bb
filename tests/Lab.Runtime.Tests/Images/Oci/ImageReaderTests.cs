using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Tests.Images.Oci;

public sealed class ImageReaderTests : IDisposable
{
    readonly ImageTestDir _dir = new();
    readonly FileContentStore _store;
    readonly ImageReader _reader;

    public ImageReaderTests()
    {
        _store = new FileContentStore(_dir.Combine("store"));
        _reader = new ImageReader(_store);
    }

    static readonly Platform Attestation = new() { Os = "unknown", Architecture = "unknown" };

    [Fact]
    public async Task A_manifest_resolves_to_itself_and_an_index_to_the_entry_for_this_host()
    {
        var host = await OciTestImages.ImageAsync(_store, "host", layerTars: OciTestImages.BaseLayer());
        var other = await OciTestImages.ImageAsync(_store, "other", OciTestImages.Arm64, layerTars: OciTestImages.AppLayer("x"));
        var index = await OciTestImages.IndexAsync(_store, (other, OciTestImages.Arm64), (other, Attestation), (host, Platform.Host));

        Assert.Equal(host, _reader.ResolveManifest(host));
        Assert.Equal(host.Digest, _reader.ResolveManifest(index).Digest);
        Assert.Equal(other.Digest, _reader.ResolveManifest(index, OciTestImages.Arm64).Digest);
    }

    [Fact]
    public async Task An_index_without_this_hosts_platform_is_not_found_in_dockerds_words()
    {
        var other = await OciTestImages.ImageAsync(_store, "other", OciTestImages.Arm64, layerTars: OciTestImages.BaseLayer());
        var index = await OciTestImages.IndexAsync(_store, (other, OciTestImages.Arm64));

        var error = Assert.Throws<LabException>(() => _reader.ResolveManifest(index));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal($"no matching manifest for {Platform.Host} in the manifest list entries", error.Message);
    }

    [Fact]
    public async Task Index_entries_whose_manifest_the_store_lacks_are_skipped()
    {
        var host = await OciTestImages.ImageAsync(_store, "host", layerTars: OciTestImages.BaseLayer());
        var absent = host with { Digest = Digest.Of("a manifest never copied here"u8) };
        var index = await OciTestImages.IndexAsync(_store, (absent, Platform.Host), (host, Platform.Host));

        Assert.Equal(host.Digest, _reader.ResolveManifest(index).Digest);
        Assert.Equal([index.Digest, host.Digest], _reader.Closure(index).Select(d => d.Digest).Take(2));
    }

    [Fact]
    public async Task The_closure_of_an_image_is_its_manifest_config_and_layers_each_once()
    {
        var image = await OciTestImages.ImageAsync(_store, "sh", layerTars: [OciTestImages.BaseLayer(), OciTestImages.AppLayer("v1")]);
        var manifest = _reader.ReadManifest(image);

        var closure = _reader.Closure(image);

        Assert.Equal([image.Digest, manifest.Config.Digest, .. manifest.Layers.Select(l => l.Digest)], closure.Select(d => d.Digest));
    }

    [Fact]
    public async Task A_manifest_whose_layer_is_missing_has_no_closure()
    {
        var image = await OciTestImages.ImageAsync(_store, "sh", layerTars: OciTestImages.BaseLayer());
        _store.Delete(Digest.Of(OciTestImages.BaseLayer()));

        var error = Assert.Throws<LabException>(() => _reader.Closure(image));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains(Digest.Of(OciTestImages.BaseLayer()).ToString(), error.Message);
    }

    [Fact]
    public async Task A_manifest_of_another_schema_version_is_refused()
    {
        var info = await _store.WriteBytesAsync("""{"schemaVersion":1,"config":{"mediaType":"x","digest":"sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824","size":5}}"""u8.ToArray());

        var error = Assert.Throws<LabException>(() =>
            _reader.ReadManifest(new Descriptor { MediaType = MediaTypes.DockerManifest, Digest = info.Digest, Size = info.Size }));

        Assert.Contains("schemaVersion 1", error.Message);
    }

    public void Dispose() => _dir.Dispose();
}
