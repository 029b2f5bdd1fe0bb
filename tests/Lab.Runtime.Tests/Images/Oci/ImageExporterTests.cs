using System.Text.Json;
using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Tests.Images.Oci;

public sealed class ImageExporterTests : IDisposable
{
    readonly ImageTestDir _dir = new();
    readonly FileContentStore _source;
    readonly FileContentStore _target;

    public ImageExporterTests()
    {
        _source = new FileContentStore(_dir.Combine("source"));
        _target = new FileContentStore(_dir.Combine("target"));
    }

    static Reference Ref(string text) => Reference.Parse(text);

    /// <summary>Two images sharing their base layer; the second under two names, one on a private registry.</summary>
    async Task<List<ArchiveImage>> TwoImages()
    {
        var base1 = await OciTestImages.ImageAsync(_source, "sh", layerTars: OciTestImages.BaseLayer());
        var app = await OciTestImages.ImageAsync(_source, "/app/run", gzip: true,
            layerTars: [OciTestImages.BaseLayer(), OciTestImages.AppLayer("v2")]);
        return
        [
            new ArchiveImage(base1, [Ref("base:1")]),
            new ArchiveImage(app, [Ref("registry.lab.local:5000/classe/app:v2"), Ref("app")]),
        ];
    }

    static void AssertSameImages(IReadOnlyList<ArchiveImage> expected, IReadOnlyList<ArchiveImage> actual)
    {
        Assert.Equal(expected.Select(i => i.Target.Digest), actual.Select(i => i.Target.Digest));
        Assert.Equal(expected.Select(Names), actual.Select(Names));
    }

    static string Names(ArchiveImage image) => string.Join(",", image.Names.Select(n => n.WithDefaultTag()));

    void AssertTargetHoldsEveryBlobOf(IReadOnlyList<ArchiveImage> images)
    {
        foreach (var blob in images.SelectMany(i => new ImageReader(_source).Closure(i.Target)))
            Assert.Equal(_source.ReadAllBytes(blob.Digest).Length, _target.SizeOf(blob.Digest));
    }

    [Fact]
    public async Task An_oci_layout_directory_has_its_header_an_annotated_index_and_each_blob_once()
    {
        var images = await TwoImages();
        var layout = _dir.Combine("layout");

        await new ImageExporter(_source).WriteOciLayoutAsync(images, layout);

        Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", File.ReadAllText(Path.Combine(layout, "oci-layout")));
        var index = OciJson.Deserialize<ImageIndex>(File.ReadAllBytes(Path.Combine(layout, "index.json")), "index.json");
        Assert.Equal(
            ["docker.io/library/base:1", "registry.lab.local:5000/classe/app:v2", "docker.io/library/app:latest"],
            index.Manifests.Select(m => m.Annotation(Annotations.ContainerdImageName)));
        Assert.Equal(["1", "v2", "latest"], index.Manifests.Select(m => m.Annotation(Annotations.RefName)));
        // base manifest, config, base layer (plain); app manifest, config, base layer (gzip), app layer (gzip)
        Assert.Equal(7, Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).Length);
    }

    [Fact]
    public async Task An_oci_layout_directory_imports_back_to_the_same_images_and_names()
    {
        var images = await TwoImages();
        await new ImageExporter(_source).WriteOciLayoutAsync(images, _dir.Combine("layout"));

        var imported = await new ImageImporter(_target).ImportDirectoryAsync(_dir.Combine("layout"));

        AssertSameImages(images, imported);
        AssertTargetHoldsEveryBlobOf(images);
    }

    [Fact]
    public async Task An_oci_archive_round_trips_including_an_image_without_a_name()
    {
        var images = await TwoImages();
        images.Add(new ArchiveImage(await OciTestImages.ImageAsync(_source, "anonymous", layerTars: OciTestImages.AppLayer("x")), []));
        var tar = new MemoryStream();

        await new ImageExporter(_source).WriteOciArchiveAsync(images, tar);
        var imported = await new ImageImporter(_target).ImportTarAsync(new MemoryStream(tar.ToArray()));

        AssertSameImages(images, imported);
        Assert.Null(imported[2].RefName);
        AssertTargetHoldsEveryBlobOf(images);
    }

    [Fact]
    public async Task A_docker_archive_has_manifest_json_and_repositories_as_docker_save_writes_them()
    {
        var images = await TwoImages();
        var tar = new MemoryStream();

        await new ImageExporter(_source).WriteDockerArchiveAsync(images, tar);

        var files = ArchiveTar.Read(tar.ToArray());
        var items = OciJson.Deserialize<List<DockerArchiveItem>>(files["manifest.json"], "manifest.json");
        var app = new ImageReader(_source).ReadManifest(images[1].Target);
        Assert.Equal(["base:1"], items[0].RepoTags!);
        Assert.Equal(["registry.lab.local:5000/classe/app:v2", "app:latest"], items[1].RepoTags!);
        Assert.Equal($"blobs/sha256/{app.Config.Digest.Hex}", items[1].Config);
        Assert.Equal(app.Layers.Select(l => $"blobs/sha256/{l.Digest.Hex}"), items[1].Layers);
        Assert.All(items.SelectMany(i => i.Layers.Append(i.Config)), path => Assert.True(files.ContainsKey(path), path));
        var repositories = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(files["repositories"])!;
        Assert.Equal(app.Layers[^1].Digest.Hex, repositories["registry.lab.local:5000/classe/app"]["v2"]);
        Assert.Equal(app.Layers[^1].Digest.Hex, repositories["app"]["latest"]);
        Assert.True(files.ContainsKey("oci-layout") && files.ContainsKey("index.json"));
    }

    [Fact]
    public async Task A_docker_archive_imports_back_whole_and_also_through_manifest_json_alone()
    {
        var images = await TwoImages();
        var tar = new MemoryStream();
        await new ImageExporter(_source).WriteDockerArchiveAsync(images, tar);

        var imported = await new ImageImporter(_target).ImportTarAsync(new MemoryStream(tar.ToArray()));
        // What an older docker load reads: no OCI layout files, only manifest.json and the files it names.
        var legacy = ArchiveTar.Without(tar.ToArray(), name => name is "oci-layout" or "index.json");
        var importedLegacy = await new ImageImporter(new FileContentStore(_dir.Combine("legacy"))).ImportTarAsync(new MemoryStream(legacy));

        AssertSameImages(images, imported);
        Assert.Equal(images.Select(Names), importedLegacy.Select(Names));
        var reader = new ImageReader(new FileContentStore(_dir.Combine("legacy")));
        var original = new ImageReader(_source).ReadManifest(images[1].Target);
        var rebuilt = reader.ReadManifest(importedLegacy[1].Target);
        Assert.Equal(original.Config.Digest, rebuilt.Config.Digest);
        Assert.Equal(original.Layers.Select(l => (l.Digest, l.MediaType)), rebuilt.Layers.Select(l => (l.Digest, l.MediaType)));
    }

    [Fact]
    public async Task A_multi_platform_image_goes_into_a_docker_archive_as_this_hosts_manifest()
    {
        var host = await OciTestImages.ImageAsync(_source, "host", layerTars: OciTestImages.BaseLayer());
        var other = await OciTestImages.ImageAsync(_source, "other", OciTestImages.Arm64, layerTars: OciTestImages.AppLayer("arm"));
        var index = await OciTestImages.IndexAsync(_source, (other, OciTestImages.Arm64), (host, Platform.Host));
        var tar = new MemoryStream();

        await new ImageExporter(_source).WriteDockerArchiveAsync([new ArchiveImage(index, [Ref("multi:1")])], tar);

        var files = ArchiveTar.Read(tar.ToArray());
        var item = OciJson.Deserialize<List<DockerArchiveItem>>(files["manifest.json"], "manifest.json").Single();
        Assert.Equal($"blobs/sha256/{new ImageReader(_source).ReadManifest(host).Config.Digest.Hex}", item.Config);
        Assert.False(files.ContainsKey($"blobs/sha256/{other.Digest.Hex}"));
    }

    [Fact]
    public async Task The_same_images_always_export_to_the_same_bytes()
    {
        var images = await TwoImages();
        var first = new MemoryStream();
        var second = new MemoryStream();

        await new ImageExporter(_source).WriteDockerArchiveAsync(images, first);
        await new ImageExporter(_source).WriteDockerArchiveAsync(images, second);

        Assert.Equal(first.ToArray(), second.ToArray());
    }

    public void Dispose() => _dir.Dispose();
}
