using System.Formats.Tar;
using Lab.Runtime.Archives;
using Lab.Runtime.Images;
using Lab.Runtime.Tests.Images.Oci;

namespace Lab.Runtime.Tests.Images;

public sealed class TarLayerWriterTests : IDisposable
{
    readonly ImageTestDir _dir = new();

    async Task<List<TarEntry>> WriteAndReadBack(string root)
    {
        var tar = new MemoryStream();
        await TarLayerWriter.WriteAsync(root, tar);
        tar.Position = 0;
        var entries = new List<TarEntry>();
        using var reader = new TarReader(tar);
        while (reader.GetNextEntry(copyData: true) is { } entry) entries.Add(entry);
        return entries;
    }

    string Root()
    {
        var root = Directory.CreateDirectory(_dir.Combine("rootfs")).FullName;
        Directory.CreateDirectory(Path.Combine(root, "usr", "bin"));
        File.WriteAllText(Path.Combine(root, "usr", "bin", "tool"), "#!/bin/sh\necho tool\n");
        File.SetUnixFileMode(Path.Combine(root, "usr", "bin", "tool"), (UnixFileMode)0b111_101_000);
        File.CreateSymbolicLink(Path.Combine(root, "bin"), "usr/bin");
        return root;
    }

    [Fact]
    public async Task Files_and_directories_carry_their_capabilities_and_user_xattrs_as_raw_bytes()
    {
        var root = Root();
        byte[] capability = [1, 0, 0, 2, 0x0A, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Inode.SetXattr(Path.Combine(root, "usr", "bin", "tool"), "security.capability", capability);
        Inode.SetXattr(Path.Combine(root, "usr"), "user.origin", [0xFF, 0x00]);
        Inode.SetXattr(Path.Combine(root, "usr"), "trusted.overlay.opaque", "y"u8.ToArray());
        var tar = new MemoryStream();
        await TarLayerWriter.WriteAsync(root, tar);
        tar.Position = 0;

        var found = new Dictionary<string, IReadOnlyDictionary<string, byte[]>>();
        using (var reader = new XattrTarReader(tar))
            while (reader.GetNextEntry() is { } entry)
            {
                found[entry.Name] = reader.Xattrs;
                if (entry.Name == "usr/bin/tool") Assert.Equal("#!/bin/sh\necho tool\n", new StreamReader(entry.DataStream!).ReadToEnd());
            }

        Assert.Equal(["bin", "usr/", "usr/bin/", "usr/bin/tool"], found.Keys);
        Assert.Equal(capability, found["usr/bin/tool"]["security.capability"]);
        Assert.Equal([0xFF, 0x00], Assert.Single(found["usr/"]).Value); // overlay's own attribute stays out
        Assert.Empty(found["usr/bin/"]);
    }

    [Fact]
    public async Task Entries_are_relative_parents_first_with_directories_marked()
    {
        var entries = await WriteAndReadBack(Root());

        Assert.Equal(["bin", "usr/", "usr/bin/", "usr/bin/tool"], entries.Select(e => e.Name));
        Assert.Equal(TarEntryType.Directory, entries[1].EntryType);
    }

    [Fact]
    public async Task Regular_files_keep_contents_mode_and_owner()
    {
        var root = Root();
        ImageTestDir.Run("chown", "1234:5678", Path.Combine(root, "usr", "bin", "tool"));

        var tool = (await WriteAndReadBack(root)).Single(e => e.Name == "usr/bin/tool");

        Assert.Equal(TarEntryType.RegularFile, tool.EntryType);
        Assert.Equal((UnixFileMode)0b111_101_000, tool.Mode);
        Assert.Equal((1234, 5678), (tool.Uid, tool.Gid));
        Assert.Equal("#!/bin/sh\necho tool\n", new StreamReader(tool.DataStream!).ReadToEnd());
    }

    [Fact]
    public async Task Symlinks_are_stored_as_links_and_never_followed()
    {
        var entries = await WriteAndReadBack(Root());

        var bin = entries.Single(e => e.Name == "bin");
        Assert.Equal(TarEntryType.SymbolicLink, bin.EntryType);
        Assert.Equal("usr/bin", bin.LinkName);
        Assert.DoesNotContain(entries, e => e.Name.StartsWith("bin/"));
    }

    [Fact]
    public async Task Device_nodes_and_fifos_keep_their_type_and_numbers()
    {
        var root = Root();
        Directory.CreateDirectory(Path.Combine(root, "dev"));
        ImageTestDir.Run("mknod", "-m", "666", Path.Combine(root, "dev", "null"), "c", "1", "3");
        ImageTestDir.Run("mkfifo", Path.Combine(root, "dev", "pipe"));

        var entries = await WriteAndReadBack(root);

        var null_ = (PosixTarEntry)entries.Single(e => e.Name == "dev/null");
        Assert.Equal(TarEntryType.CharacterDevice, null_.EntryType);
        Assert.Equal((1, 3), (null_.DeviceMajor, null_.DeviceMinor));
        Assert.Equal(TarEntryType.Fifo, entries.Single(e => e.Name == "dev/pipe").EntryType);
    }

    [Fact]
    public async Task A_second_hard_link_is_stored_as_a_link_to_the_first()
    {
        var root = Root();
        ImageTestDir.Run("ln", Path.Combine(root, "usr", "bin", "tool"), Path.Combine(root, "usr", "bin", "tool2"));

        var entries = await WriteAndReadBack(root);

        var second = entries.Single(e => e.Name == "usr/bin/tool2");
        Assert.Equal(TarEntryType.HardLink, second.EntryType);
        Assert.Equal("usr/bin/tool", second.LinkName);
    }

    public void Dispose() => _dir.Dispose();
}
