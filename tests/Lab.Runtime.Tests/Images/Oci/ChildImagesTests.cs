using System.Formats.Tar;
using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Tests.Images.Oci;

public sealed class ChildImagesTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("lab-child-images-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static MemoryStream Layer(string name, string content)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
            {
                DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
            });
        tar.Position = 0;
        return tar;
    }

    [Fact]
    public async Task A_child_of_scratch_has_one_layer_whose_blob_is_its_diff_id()
    {
        var store = new ImageStore(_dir);
        var layer = Layer("hello.txt", "hi");
        var expected = Digest.Of(layer.ToArray());

        var image = await store.CreateChildAsync(null, layer, new ContainerConfig { Cmd = ["/hello"] },
            new HistoryEntry { CreatedBy = "/bin/sh -c #(nop) ADD file:hello.txt in /", Author = "ana" });

        Assert.Equal([expected], image.Config.RootFs.DiffIds);
        Assert.Equal(expected, image.Manifest.Layers.Single().Digest);
        Assert.Equal(MediaTypes.OciLayer, image.Manifest.Layers.Single().MediaType);
        Assert.Equal("linux", image.Config.Os);
        Assert.Equal("ana", image.Config.Author);
        Assert.Null(image.Config.History!.Single().EmptyLayer);
        // What was written reads back the same through the store, as `docker run` would read it.
        var names = store.Names("child-test");
        await names.TagAsync(Reference.Parse("hello"), image.Target);
        var loaded = store.Find("child-test", "hello")!;
        Assert.Equal(image.Id, loaded.Id);
        Assert.Equal(["/hello"], loaded.Config.Config!.Cmd);
        var dir = (await store.LayerDirectoriesAsync(loaded)).Single();
        Assert.Equal("hi", File.ReadAllText(Path.Combine(dir, "hello.txt")));
    }

    [Fact]
    public async Task A_config_only_step_keeps_the_parents_layers_and_is_marked_empty_layer()
    {
        var store = new ImageStore(_dir);
        var parent = await store.CreateChildAsync(null, Layer("a", "1"), new ContainerConfig(), new HistoryEntry { CreatedBy = "ADD" });

        var child = await store.CreateChildAsync(parent, null, new ContainerConfig { Env = ["A=1"] },
            new HistoryEntry { CreatedBy = "/bin/sh -c #(nop)  ENV A=1" });

        Assert.Equal(parent.Config.RootFs.DiffIds, child.Config.RootFs.DiffIds);
        Assert.Equal(parent.Manifest.Layers, child.Manifest.Layers);
        Assert.Equal(2, child.Config.History!.Count);
        Assert.True(child.Config.History[1].EmptyLayer);
        Assert.NotEqual(parent.Id, child.Id);
        Assert.Equal(["A=1"], child.Config.Config!.Env);
    }
}
