using System.Text;
using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Tests.Images.Oci;

public sealed class ImageImporterTests : IDisposable
{
    readonly ImageTestDir _dir = new();
    readonly FileContentStore _store;
    readonly ImageImporter _importer;

    public ImageImporterTests()
    {
        _store = new FileContentStore(_dir.Combine("store"));
        _importer = new ImageImporter(_store);
    }

    // Legacy v1 layer ids: random, not digests of anything in the archive.
    const string BaseId = "5f0a93a2f1b3c6d1e2b8f5a3c4d7e9f1a2b3c4d5e6f708192a3b4c5d6e7f8091";
    const string AppId = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b1a0f9e8d";
    const string AppBaseId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    static byte[] Config(string cmd, params byte[][] layers) => OciJson.Serialize(new ImageConfig
    {
        Architecture = "amd64",
        Os = "linux",
        Config = new ContainerConfig { Cmd = [cmd] },
        RootFs = new RootFs { DiffIds = layers.Select(l => Digest.Of(l)).ToList() },
    });

    /// <summary>A `docker save base:1 app` tarball in the classic format (Docker before 25): one folder per
    /// layer with VERSION/json/layer.tar, configs named by their digest, a repeated layer stored once and
    /// symlinked, manifest.json and repositories.</summary>
    static (byte[] Tar, byte[] BaseConfig, byte[] AppConfig) ClassicDockerSave(byte[]? appLayer = null)
    {
        var baseLayer = OciTestImages.BaseLayer();
        appLayer ??= OciTestImages.AppLayer("v2");
        var baseConfig = Config("sh", baseLayer);
        var appConfig = Config("/app/run", baseLayer, OciTestImages.AppLayer("v2"));
        var manifest = $$"""
            [{"Config":"{{Digest.Of(baseConfig).Hex}}.json","RepoTags":["base:1"],"Layers":["{{BaseId}}/layer.tar"]},
             {"Config":"{{Digest.Of(appConfig).Hex}}.json","RepoTags":["registry.lab.local:5000/classe/app:v2","app:latest"],
              "Layers":["{{AppBaseId}}/layer.tar","{{AppId}}/layer.tar"]}]
            """;
        var tar = new ArchiveTar()
            .Dir($"{BaseId}/").File($"{BaseId}/VERSION", "1.0").File($"{BaseId}/json", "{}").File($"{BaseId}/layer.tar", baseLayer)
            .Dir($"{AppBaseId}/").File($"{AppBaseId}/VERSION", "1.0").File($"{AppBaseId}/json", "{}")
            .Symlink($"{AppBaseId}/layer.tar", $"../{BaseId}/layer.tar")
            .Dir($"{AppId}/").File($"{AppId}/VERSION", "1.0").File($"{AppId}/json", "{}").File($"{AppId}/layer.tar", appLayer)
            .File($"{Digest.Of(baseConfig).Hex}.json", baseConfig)
            .File($"{Digest.Of(appConfig).Hex}.json", appConfig)
            .File("manifest.json", manifest)
            .File("repositories", $$$"""{"base":{"1":"{{{BaseId}}}"},"app":{"latest":"{{{AppId}}}"}}""")
            .Build();
        return (tar, baseConfig, appConfig);
    }

    string[] Ingest() =>
        Directory.Exists(_dir.Combine("store", "ingest")) ? Directory.GetFileSystemEntries(_dir.Combine("store", "ingest")) : [];

    [Fact]
    public async Task A_classic_docker_save_archive_imports_every_image_with_its_tags()
    {
        var (tar, baseConfig, appConfig) = ClassicDockerSave();

        var images = await _importer.ImportTarAsync(new MemoryStream(tar));

        Assert.Equal(
            ["docker.io/library/base:1", "registry.lab.local:5000/classe/app:v2,docker.io/library/app:latest"],
            images.Select(i => string.Join(",", i.Names)));
        var reader = new ImageReader(_store);
        var app = reader.ReadManifest(images[1].Target);
        Assert.Equal(MediaTypes.OciManifest, images[1].Target.MediaType);
        Assert.Equal(Digest.Of(appConfig), app.Config.Digest);
        Assert.Equal(Digest.Of(baseConfig), reader.ReadManifest(images[0].Target).Config.Digest);
        Assert.Equal(["/app/run"], reader.ReadConfig(app.Config).Config!.Cmd!);
        Assert.Equal([Digest.Of(OciTestImages.BaseLayer()), Digest.Of(OciTestImages.AppLayer("v2"))], app.Layers.Select(l => l.Digest));
        Assert.All(app.Layers, l => Assert.Equal(MediaTypes.OciLayer, l.MediaType));
    }

    [Fact]
    public async Task Only_the_files_the_manifests_reference_are_kept()
    {
        var (tar, _, _) = ClassicDockerSave();

        var images = await _importer.ImportTarAsync(new MemoryStream(tar));

        var expected = images.SelectMany(i => new ImageReader(_store).Closure(i.Target)).Select(d => d.Digest).Distinct();
        Assert.Equal(expected.OrderBy(d => d.Hex), _store.List().OrderBy(d => d.Hex));
        Assert.DoesNotContain(Digest.Of("1.0"u8), _store.List()); // the VERSION files
        Assert.Empty(Ingest());
    }

    [Fact]
    public async Task Imported_layers_unpack_into_a_stack_with_the_whiteout_in_place()
    {
        var (tar, _, _) = ClassicDockerSave();
        var images = await _importer.ImportTarAsync(new MemoryStream(tar));
        var reader = new ImageReader(_store);
        var manifest = reader.ReadManifest(images[1].Target);
        var config = reader.ReadConfig(manifest.Config);
        var unpacker = new LayerUnpacker(_store, _dir.Combine("store"));

        var layers = new List<UnpackedLayer>();
        for (var i = 0; i < manifest.Layers.Count; i++)
            layers.Add(await unpacker.UnpackAsync(manifest.Layers[i].Digest, config.RootFs.DiffIds[i]));

        Assert.Equal("#!shell", File.ReadAllText(Path.Combine(layers[0].Path, "bin", "sh")));
        Assert.Equal("v2", File.ReadAllText(Path.Combine(layers[1].Path, "app", "run")));
        Assert.Equal("character special file", Inode.Of(Path.Combine(layers[1].Path, "etc", "os-release")).Type);
    }

    [Fact]
    public async Task A_gzip_compressed_archive_is_read_from_a_stream_that_cannot_seek()
    {
        var (tar, _, _) = ClassicDockerSave();

        var images = await _importer.ImportTarAsync(new ForwardOnlyStream(new MemoryStream(LayerTar.Gzip(tar))));

        Assert.Equal(2, images.Count);
    }

    [Fact]
    public async Task A_layer_that_is_not_the_one_its_config_lists_is_refused()
    {
        var (tar, _, _) = ClassicDockerSave(appLayer: OciTestImages.AppLayer("tampered"));

        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => _importer.ImportTarAsync(new MemoryStream(tar)));

        Assert.Contains($"{AppId}/layer.tar", error.Message);
        Assert.Empty(Ingest());
    }

    [Fact]
    public async Task A_config_file_whose_name_is_not_its_digest_is_refused()
    {
        var config = Config("sh", OciTestImages.BaseLayer());
        var forgedName = Digest.Of("another config"u8).Hex;
        var tar = new ArchiveTar()
            .File("layer.tar", OciTestImages.BaseLayer())
            .File($"{forgedName}.json", config)
            .File("manifest.json", $$"""[{"Config":"{{forgedName}}.json","RepoTags":null,"Layers":["layer.tar"]}]""")
            .Build();

        await Assert.ThrowsAsync<DigestMismatchException>(() => _importer.ImportTarAsync(new MemoryStream(tar)));

        Assert.DoesNotContain(Digest.Of(config), _store.List());
    }

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    public async Task Manifest_json_cannot_name_files_outside_the_archive(string path)
    {
        var tar = new ArchiveTar()
            .File("manifest.json", $$"""[{"Config":"{{path}}","RepoTags":["evil:1"],"Layers":[]}]""")
            .Build();

        var error = await Assert.ThrowsAsync<LabException>(() => _importer.ImportTarAsync(new MemoryStream(tar)));

        Assert.Equal(ErrorKind.InvalidParameter, error.Kind);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task A_symlink_out_of_the_archive_is_refused()
    {
        var tar = new ArchiveTar().Symlink("layer.tar", "../../../etc/shadow").File("manifest.json", "[]").Build();

        var error = await Assert.ThrowsAsync<LabException>(() => _importer.ImportTarAsync(new MemoryStream(tar)));

        Assert.Contains("outside the archive", error.Message);
    }

    [Fact]
    public async Task A_directory_layout_refuses_paths_through_symlinks()
    {
        var layout = Directory.CreateDirectory(_dir.Combine("layout")).FullName;
        Directory.CreateDirectory(_dir.Combine("elsewhere"));
        File.WriteAllText(_dir.Combine("elsewhere", "secret"), "host file");
        File.CreateSymbolicLink(Path.Combine(layout, "linked"), _dir.Combine("elsewhere"));
        File.WriteAllText(Path.Combine(layout, "manifest.json"), """[{"Config":"linked/secret","Layers":[]}]""");

        var error = await Assert.ThrowsAsync<LabException>(() => _importer.ImportDirectoryAsync(layout));

        Assert.Contains("symlink", error.Message);
        Assert.Empty(_store.List());
    }

    [Fact]
    public async Task A_tampered_blob_in_an_oci_layout_is_refused_and_not_stored()
    {
        var source = new FileContentStore(_dir.Combine("source"));
        var image = await OciTestImages.ImageAsync(source, "sh", layerTars: OciTestImages.BaseLayer());
        var layout = _dir.Combine("layout");
        await new ImageExporter(source).WriteOciLayoutAsync([new ArchiveImage(image, [Reference.Parse("base:1")])], layout);
        var layerPath = Path.Combine(layout, "blobs", "sha256", Digest.Of(OciTestImages.BaseLayer()).Hex);
        File.WriteAllBytes(layerPath, new LayerTar().File("bin/sh", "#!backdoor").Build());

        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => _importer.ImportDirectoryAsync(layout));

        Assert.Equal(Digest.Of(OciTestImages.BaseLayer()), error.Expected);
        Assert.False(_store.Exists(error.Actual));
        Assert.False(_store.Exists(image.Digest));
    }

    [Fact]
    public async Task An_oci_layout_missing_a_layer_is_not_found_unless_the_store_already_has_it()
    {
        var source = new FileContentStore(_dir.Combine("source"));
        var image = await OciTestImages.ImageAsync(source, "sh", layerTars: OciTestImages.BaseLayer());
        var layout = _dir.Combine("layout");
        await new ImageExporter(source).WriteOciLayoutAsync([new ArchiveImage(image, [])], layout);
        File.Delete(Path.Combine(layout, "blobs", "sha256", Digest.Of(OciTestImages.BaseLayer()).Hex));

        var error = await Assert.ThrowsAsync<LabException>(() => _importer.ImportDirectoryAsync(layout));
        await _store.WriteBytesAsync(OciTestImages.BaseLayer());
        var images = await _importer.ImportDirectoryAsync(layout);

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Contains(Digest.Of(OciTestImages.BaseLayer()).ToString(), error.Message);
        Assert.Equal(image.Digest, images.Single().Target.Digest);
    }

    [Fact]
    public async Task A_multi_platform_layout_with_only_this_hosts_blobs_imports_and_resolves()
    {
        var source = new FileContentStore(_dir.Combine("source"));
        var host = await OciTestImages.ImageAsync(source, "host", layerTars: OciTestImages.BaseLayer());
        var other = await OciTestImages.ImageAsync(source, "other", OciTestImages.Arm64, layerTars: OciTestImages.AppLayer("arm"));
        var index = await OciTestImages.IndexAsync(source, (other, OciTestImages.Arm64), (host, Platform.Host));
        source.Delete(other.Digest); // saved for one platform only
        var layout = _dir.Combine("layout");
        await new ImageExporter(source).WriteOciLayoutAsync([new ArchiveImage(index, [Reference.Parse("multi:1")])], layout);

        var images = await _importer.ImportDirectoryAsync(layout);

        Assert.Equal(index.Digest, images.Single().Target.Digest);
        Assert.Equal(host.Digest, new ImageReader(_store).ResolveManifest(images.Single().Target).Digest);
        Assert.False(_store.Exists(other.Digest));
    }

    [Fact]
    public async Task A_bare_ref_name_is_handed_back_for_the_caller_to_place()
    {
        var source = new FileContentStore(_dir.Combine("source"));
        var image = await OciTestImages.ImageAsync(source, "sh", layerTars: OciTestImages.BaseLayer());
        var layout = _dir.Combine("layout");
        await new ImageExporter(source).WriteOciLayoutAsync([new ArchiveImage(image, [])], layout);
        // As skopeo writes it: only OCI's ref.name, holding a tag.
        var index = new ImageIndex { Manifests = [image with { Annotations = new Dictionary<string, string> { [Annotations.RefName] = "v3" } }] };
        File.WriteAllBytes(Path.Combine(layout, "index.json"), OciJson.Serialize(index));

        var imported = (await _importer.ImportDirectoryAsync(layout)).Single();

        Assert.Empty(imported.Names);
        Assert.Equal("v3", imported.RefName);
    }

    [Fact]
    public async Task Something_that_is_no_image_archive_says_so()
    {
        var notAnArchive = new ArchiveTar().File("README", "hello").Build();
        var legacy = new ArchiveTar().File("repositories", "{}").Build();

        var neither = await Assert.ThrowsAsync<LabException>(() => _importer.ImportTarAsync(new MemoryStream(notAnArchive)));
        var old = await Assert.ThrowsAsync<LabException>(() => _importer.ImportTarAsync(new MemoryStream(legacy)));
        var garbage = await Assert.ThrowsAsync<LabException>(() =>
            _importer.ImportTarAsync(new MemoryStream(Encoding.ASCII.GetBytes(new string('x', 2048)))));

        Assert.Contains("neither an OCI image layout", neither.Message);
        Assert.Contains("pre-2016", old.Message);
        Assert.Equal(ErrorKind.InvalidParameter, garbage.Kind);
        Assert.Empty(Ingest());
    }

    public void Dispose() => _dir.Dispose();
}
