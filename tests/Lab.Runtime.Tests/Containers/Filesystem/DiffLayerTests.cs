using System.Formats.Tar;
using System.Text;
using Lab.Runtime.Archives;
using Lab.Runtime.Containers;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Tests.Images.Oci;
using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Containers.Filesystem;

public sealed class DiffLayerTests(ContainerFixture f) : IClassFixture<ContainerFixture>
{
    static async Task<Dictionary<string, TarEntry>> EntriesAsync(MemoryStream tar)
    {
        tar.Position = 0;
        var entries = new Dictionary<string, TarEntry>();
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (await reader.GetNextEntryAsync(copyData: true) is { } entry) entries[entry.Name] = entry;
        return entries;
    }

    async Task<Dictionary<string, TarEntry>> DiffOfAsync(string script)
    {
        var (code, output, record) = await f.RunAsync("sh", "-c", script);
        Assert.True(code == 0, output);
        var tar = new MemoryStream();
        await f.Containers.WriteDiffLayerAsync(f.Machine, record.Id, tar, CancellationToken.None);
        return await EntriesAsync(tar);
    }

    [Fact]
    public async Task Added_files_keep_their_content_owner_mode_and_links()
    {
        var entries = await DiffOfAsync(
            "mkdir -p /data && echo hello > /data/a && chmod 640 /data/a && chown 12:34 /data/a " +
            "&& ln /data/a /data/b && ln -s /etc/passwd /data/link && mkfifo /data/fifo");

        Assert.Equal(TarEntryType.Directory, entries["data/"].EntryType);
        var a = entries["data/a"];
        Assert.Equal("hello\n", new StreamReader(a.DataStream!).ReadToEnd());
        Assert.Equal((UnixFileMode)0b110_100_000, a.Mode);
        Assert.Equal((12, 34), (a.Uid, a.Gid));
        Assert.Equal(TarEntryType.HardLink, entries["data/b"].EntryType);
        Assert.Equal("data/a", entries["data/b"].LinkName);
        Assert.Equal(TarEntryType.SymbolicLink, entries["data/link"].EntryType);
        Assert.Equal("/etc/passwd", entries["data/link"].LinkName);
        Assert.Equal(TarEntryType.Fifo, entries["data/fifo"].EntryType);
        Assert.DoesNotContain("proc/", entries.Keys); // lab-init's mount points are not the container's changes
    }

    [Fact]
    public async Task A_deleted_lower_file_is_a_whiteout_and_a_recreated_directory_is_opaque()
    {
        var entries = await DiffOfAsync("rm /etc/group && rm -rf /home && mkdir /home && touch /home/new");

        var whiteout = entries["etc/.wh.group"];
        Assert.Equal(TarEntryType.RegularFile, whiteout.EntryType);
        Assert.Null(whiteout.DataStream);
        Assert.Contains("home/.wh..wh..opq", entries.Keys);
        Assert.Contains("home/new", entries.Keys);
        Assert.DoesNotContain(entries.Keys, k => k.EndsWith("group", StringComparison.Ordinal) && k != "etc/.wh.group");
    }

    [Fact]
    public async Task A_container_that_never_ran_has_an_empty_layer()
    {
        var record = await f.CreateAsync("true");
        var tar = new MemoryStream();

        await f.Containers.WriteDiffLayerAsync(f.Machine, record.Id, tar, CancellationToken.None);

        Assert.Empty(await EntriesAsync(tar));
    }

    [Fact]
    public async Task A_symlink_planted_in_the_container_is_written_as_a_link_and_never_followed()
    {
        var entries = await DiffOfAsync("ln -s / /escape && ln -s /proc/1/root /proc1");

        Assert.Equal(TarEntryType.SymbolicLink, entries["escape"].EntryType);
        Assert.DoesNotContain(entries.Keys, k => k.StartsWith("escape/", StringComparison.Ordinal));
        Assert.DoesNotContain(entries.Keys, k => k.StartsWith("proc1/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_committed_layer_becomes_an_image_whose_containers_see_the_change()
    {
        var (_, _, record) = await f.RunAsync("sh", "-c", "echo committed > /greeting && rm /etc/group");
        var parent = f.Images.Find(f.Machine, "busybox")!;
        var layer = new MemoryStream();
        await f.Containers.WriteDiffLayerAsync(f.Machine, record.Id, layer, CancellationToken.None);
        layer.Position = 0;

        var child = await f.Images.CreateChildAsync(parent, layer, parent.Config.Config! with { Cmd = ["cat", "/greeting"] },
            new HistoryEntry { CreatedBy = "test commit", Comment = "from a test" });
        await f.Images.Names(f.Machine).TagAsync(Reference.Parse("committed:v1"), child.Target);
        var (code, output, _) = await f.RunAsync(new ContainerSpec { Image = "committed:v1" });
        var (_, ls, _) = await f.RunAsync(new ContainerSpec { Image = "committed:v1", Cmd = ["sh", "-c", "ls /etc/group || echo gone"] });

        Assert.Equal(0, code);
        Assert.Equal("committed\n", output);
        Assert.Contains("gone", ls);
        Assert.Equal(parent.Config.RootFs.DiffIds.Count + 1, child.Config.RootFs.DiffIds.Count);
        Assert.Equal(child.Manifest.Layers[^1].Digest, child.Config.RootFs.DiffIds[^1]); // uncompressed: blob = diff id
        Assert.Equal("test commit", child.Config.History![^1].CreatedBy);
    }

    /// <summary>The raw xattrs of the one entry named <paramref name="name"/> in a tar, read as dockerd would.</summary>
    static async Task<IReadOnlyDictionary<string, byte[]>> XattrsInTarAsync(MemoryStream tar, string name)
    {
        tar.Position = 0;
        await using var reader = new XattrTarReader(tar);
        while (await reader.GetNextEntryAsync(CancellationToken.None) is { } entry)
            if (entry.Name == name) return reader.Xattrs;
        throw new KeyNotFoundException(name);
    }

    [Fact]
    public async Task Binary_xattrs_go_from_the_upper_dir_through_the_layer_tar_into_a_new_containers_files()
    {
        // VFS_CAP_REVISION_2, cap_dac_override,cap_fowner,cap_net_raw+ep: the 0x0A byte is a newline, 0x80+ not UTF-8.
        byte[] capability = [0, 0, 0, 2, 0x0A, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var every = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var (_, _, record) = await f.RunAsync("sh", "-c", "echo ELF > /tool && mkdir /conf");
        var upper = $"/proc/{f.Host.InitPidOf(f.Machine)}/root/var/lib/lab/containers/{record.Id}/upper";
        Inode.SetXattr($"{upper}/tool", "security.capability", capability);
        Inode.SetXattr($"{upper}/tool", "user.bin", every);
        Inode.SetXattr($"{upper}/conf", "user.dir", [0xFF, 0x0A, 0x00]);

        var layer = new MemoryStream();
        await f.Containers.WriteDiffLayerAsync(f.Machine, record.Id, layer, CancellationToken.None);
        var inTar = await XattrsInTarAsync(layer, "tool");
        Assert.Equal(capability, inTar["security.capability"]);
        Assert.Equal(every, inTar["user.bin"]);
        Assert.Equal([0xFF, 0x0A, 0x00], (await XattrsInTarAsync(layer, "conf/"))["user.dir"]);

        layer.Position = 0;
        var parent = f.Images.Find(f.Machine, "busybox")!;
        var child = await f.Images.CreateChildAsync(parent, layer, parent.Config.Config!, new HistoryEntry { CreatedBy = "xattrs" });
        await f.Images.Names(f.Machine).TagAsync(Reference.Parse("xattrs:v1"), child.Target);
        var (code, output, next) = await f.RunAsync(new ContainerSpec { Image = "xattrs:v1", Cmd = ["cat", "/tool"] });
        Assert.Equal((0, "ELF\n"), (code, output));

        var unpacked = Path.Combine(next.Layers[1], "tool"); // the committed layer as extracted (under the init layer)
        Assert.Equal(capability, Inode.Xattr(unpacked, "security.capability"));
        Assert.Equal(every, Inode.Xattr(unpacked, "user.bin"));
        var copied = new MemoryStream();
        await f.Containers.ReadArchiveAsync(f.Machine, next.Id, "/tool", _ => Task.FromResult<Stream>(copied));
        var seen = await XattrsInTarAsync(copied, "tool"); // docker cp out of the new container: through its overlay
        Assert.Equal(capability, seen["security.capability"]);
        Assert.Equal(every, seen["user.bin"]);
    }
}
