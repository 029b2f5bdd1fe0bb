using Lab.Runtime.Images;
using Lab.Runtime.Images.Oci;
using Lab.Testing;

namespace Lab.Runtime.Tests.Images.Oci;

/// <summary>Builds the busybox recipe once into a store of its own for the whole class.</summary>
public sealed class BusyboxRecipeStore : IDisposable
{
    internal ImageTestDir Dir { get; } = new();
    public string Store => Dir.Combine("store");
    public void Dispose() => Dir.Dispose();
}

public sealed class RecipeImageConverterTests(BusyboxRecipeStore fixture) : IClassFixture<BusyboxRecipeStore>
{
    readonly ImageTestDir _dir = fixture.Dir;
    string Store => fixture.Store;

    static readonly ContainerConfig BusyboxConfig = new()
    {
        Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
        Cmd = ["sh"],
    };

    RecipeImage Busybox() => new("busybox", Path.Combine(TestImages.RecipesDir, "busybox"), Store);

    [Fact]
    public async Task The_busybox_recipe_becomes_an_oci_image_whose_only_layer_is_the_recipe_layer()
    {
        var recipe = Busybox();
        var content = new FileContentStore(Store);

        var manifestDescriptor = await RecipeImageConverter.ToOciImageAsync(recipe, BusyboxConfig, content);

        var record = ImageRecord.TryLoad(recipe.Store.RecordPath("busybox"))!;
        var reader = new ImageReader(content);
        var manifest = reader.ReadManifest(manifestDescriptor);
        var config = reader.ReadConfig(manifest.Config);
        Assert.Equal(MediaTypes.OciManifest, manifestDescriptor.MediaType);
        var layer = Assert.Single(manifest.Layers);
        Assert.Equal((MediaTypes.OciLayer, record.Layer, record.Size), (layer.MediaType, layer.Digest.ToString(), layer.Size));
        Assert.Equal([record.Layer], config.RootFs.DiffIds.Select(d => d.ToString()));
        Assert.Equal((Platform.Host.Os, Platform.Host.Architecture), (config.Os, config.Architecture));
        Assert.Equal(["sh"], config.Config!.Cmd!);
        Assert.Equal(record.Created, config.Created);
        Assert.Equal(
            [$"lab image recipe labs/images/busybox ({record.RecipeHash})", $"ENV {BusyboxConfig.Env![0]}", "CMD [\"sh\"]"],
            config.History!.Select(h => h.CreatedBy));
        Assert.Equal([null, true, true], config.History!.Select(h => h.EmptyLayer));
    }

    [Fact]
    public async Task Its_layer_is_the_directory_the_recipe_build_already_extracted()
    {
        var recipe = Busybox();
        var content = new FileContentStore(Store);
        var built = await recipe.EnsureBuiltAsync();
        var manifest = new ImageReader(content).ReadManifest(await RecipeImageConverter.ToOciImageAsync(recipe, BusyboxConfig, content));
        var diffId = new ImageReader(content).ReadConfig(manifest.Config).RootFs.DiffIds[0];

        var layer = await new LayerUnpacker(content, Store).UnpackAsync(manifest.Layers[0].Digest, diffId);

        Assert.Equal(built, layer.Path);
        Assert.Equal([built], Directory.GetDirectories(Path.Combine(Store, "layers", "sha256")));
    }

    [Fact]
    public async Task The_same_build_and_config_give_the_same_manifest_digest()
    {
        var content = new FileContentStore(Store);

        var first = await RecipeImageConverter.ToOciImageAsync(Busybox(), BusyboxConfig, content);
        var second = await RecipeImageConverter.ToOciImageAsync(Busybox(), BusyboxConfig, content);
        var other = await RecipeImageConverter.ToOciImageAsync(Busybox(), BusyboxConfig with { Cmd = ["ls"] }, content);

        Assert.Equal(first, second);
        Assert.NotEqual(first.Digest, other.Digest);
    }

    [Fact]
    public async Task Tagged_saved_and_loaded_elsewhere_it_unpacks_to_the_same_tree()
    {
        var recipe = Busybox();
        var content = new FileContentStore(Store);
        var image = await RecipeImageConverter.ToOciImageAsync(recipe, BusyboxConfig, content);
        var classroom = new TagStore(Store, "classroom");
        await classroom.TagAsync(Reference.Parse("busybox"), image);
        var archive = new MemoryStream();
        await new ImageExporter(content).WriteDockerArchiveAsync(
            [new ArchiveImage(classroom.Resolve(Reference.Parse("busybox:latest"))!, [Reference.Parse("busybox")])], archive);

        var elsewhereRoot = _dir.Combine($"elsewhere-{Guid.NewGuid():N}");
        var elsewhere = new FileContentStore(elsewhereRoot);
        var loaded = (await new ImageImporter(elsewhere).ImportTarAsync(new MemoryStream(archive.ToArray()))).Single();
        var manifest = new ImageReader(elsewhere).ReadManifest(loaded.Target);
        var diffId = new ImageReader(elsewhere).ReadConfig(manifest.Config).RootFs.DiffIds[0];
        var unpacked = await new LayerUnpacker(elsewhere, elsewhereRoot).UnpackAsync(manifest.Layers[0].Digest, diffId);

        Assert.Equal(["docker.io/library/busybox:latest"], loaded.Names.Select(n => n.ToString()));
        Assert.Equal(image.Digest, loaded.Target.Digest);
        Assert.Equal(Tree(await recipe.EnsureBuiltAsync()), Tree(unpacked.Path));
        Assert.Equal("/bin/busybox", new FileInfo(Path.Combine(unpacked.Path, "bin", "sh")).LinkTarget);
    }

    /// <summary>Every entry with its type and permission bits, owner, mtime to the second (as the recipe's tar
    /// keeps it; not for symlinks) and size: what a container would see. lstat in-process: a stat(1) per entry would cost a process each.</summary>
    static List<string> Tree(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(path =>
            {
                var st = Lab.Runtime.Native.Inode.OfPath(path);
                var info = new FileInfo(path);
                var mtime = info.LinkTarget is null ? new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeSeconds() : 0;
                var size = (st.Mode & 0xF000) == 0x8000 ? info.Length : 0;
                return $"{Path.GetRelativePath(root, path)} {Convert.ToString(st.Mode, 8)} {st.Uid}:{st.Gid} {mtime} {size} {info.LinkTarget}";
            })
            .Order(StringComparer.Ordinal)
            .ToList();
}
