using System.Formats.Tar;
using Lab.Runtime.Containers.Filesystem;
using Lab.Runtime.Native;

namespace Lab.Runtime.Tests.Containers.Filesystem;

/// <summary>Unpacking into a directory that stands for a container's root: nothing may land outside it.</summary>
public sealed class TreeExtractorTests : IDisposable
{
    readonly string _outside = Directory.CreateTempSubdirectory("lab-extract-outside-").FullName;
    readonly string _root = Directory.CreateTempSubdirectory("lab-extract-root-").FullName;

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    static MemoryStream Tar(params TarEntry[] entries)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var entry in entries) writer.WriteEntry(entry);
        tar.Position = 0;
        return tar;
    }

    static PaxTarEntry File(string name, string content) => new(TarEntryType.RegularFile, name)
    {
        DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
        Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        Uid = 1234,
        Gid = 99,
    };

    async Task ExtractAsync(string destination, Stream tar, bool noOverwriteDirNonDir = false)
    {
        using var root = ResolveInRoot.OpenRoot(_root);
        using var extractor = new TreeExtractor(root, destination) { NoOverwriteDirNonDir = noOverwriteDirNonDir };
        await extractor.ExtractAsync(tar, CancellationToken.None);
    }

    [Fact]
    public async Task Files_directories_and_links_land_with_their_owner_and_mode()
    {
        await ExtractAsync("/", Tar(new PaxTarEntry(TarEntryType.Directory, "app/"), File("app/main.txt", "hi"),
            new PaxTarEntry(TarEntryType.SymbolicLink, "app/link") { LinkName = "main.txt" },
            new PaxTarEntry(TarEntryType.HardLink, "app/hard") { LinkName = "app/main.txt" }, File("deep/er/file", "x")));

        Assert.Equal("hi", System.IO.File.ReadAllText(Path.Combine(_root, "app/main.txt")));
        Assert.Equal("main.txt", new FileInfo(Path.Combine(_root, "app/link")).LinkTarget);
        Assert.Equal("hi", System.IO.File.ReadAllText(Path.Combine(_root, "app/hard")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(Path.Combine(_root, "app/main.txt")));
        Assert.True(Directory.Exists(Path.Combine(_root, "deep/er")));
    }

    [Fact]
    public async Task Files_and_directories_get_their_raw_xattrs_after_their_owner()
    {
        byte[] capability = [1, 0, 0, 2, 0x0A, 0x20, 0x80, 0xFF, 0, 0, 0, 0, 0xC3, 0x28, 0, 0, 0, 0, 0, 0];
        var tar = new MemoryStream();
        await using (var writer = new Lab.Runtime.Archives.XattrTarWriter(tar))
        {
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, "app/") { Mode = (UnixFileMode)0x1ED },
                new Dictionary<string, byte[]> { ["user.dir"] = [0xFF, 0x0A] }, CancellationToken.None);
            await writer.WriteEntryAsync(File("app/ping", "ELF"), new Dictionary<string, byte[]>
                { ["security.capability"] = capability, ["trusted.overlay.redirect"] = "/etc"u8.ToArray() }, CancellationToken.None);
        }
        tar.Position = 0;

        await ExtractAsync("/", tar);

        Assert.Equal([0xFF, 0x0A], Images.Oci.Inode.Xattr(Path.Combine(_root, "app"), "user.dir"));
        Assert.Equal(capability, Images.Oci.Inode.Xattr(Path.Combine(_root, "app/ping"), "security.capability"));
        Assert.Null(Images.Oci.Inode.Xattr(Path.Combine(_root, "app/ping"), "trusted.overlay.redirect"));
        Assert.Equal(1234, Images.Oci.Inode.Of(Path.Combine(_root, "app/ping")).Uid);
    }

    [Fact]
    public async Task A_symlink_to_outside_in_the_destination_resolves_inside_the_root()
    {
        Directory.CreateDirectory(Path.Combine(_root, _outside.TrimStart('/'))); // what the link names, inside the root
        System.IO.File.CreateSymbolicLink(Path.Combine(_root, "escape"), _outside);

        await ExtractAsync("/escape", Tar(File("planted", "x")));

        Assert.Empty(Directory.EnumerateFileSystemEntries(_outside));
        Assert.True(System.IO.File.Exists(Path.Combine(_root, _outside.TrimStart('/'), "planted")));
    }

    [Fact]
    public async Task An_entry_through_a_planted_symlink_does_not_leave_the_root()
    {
        System.IO.File.CreateSymbolicLink(Path.Combine(_root, "dir"), _outside); // dangling inside the root

        var e = await Assert.ThrowsAsync<LabException>(() => ExtractAsync("/", Tar(File("dir/planted", "x"))));

        Assert.Contains("does not exist in the container", e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_outside));
    }

    [Fact]
    public async Task An_entry_that_climbs_with_dotdot_is_refused()
    {
        var e = await Assert.ThrowsAsync<LabException>(() => ExtractAsync("/", Tar(File("../../escaped", "x"))));

        Assert.Equal(ErrorKind.InvalidParameter, e.Kind);
        Assert.False(System.IO.File.Exists(Path.Combine(Path.GetDirectoryName(_root)!, "escaped")));
    }

    [Fact]
    public async Task A_file_replaces_a_file_but_never_a_directory_with_no_overwrite_dir_non_dir()
    {
        Directory.CreateDirectory(Path.Combine(_root, "d"));
        System.IO.File.WriteAllText(Path.Combine(_root, "f"), "old");

        await ExtractAsync("/", Tar(File("f", "new")), noOverwriteDirNonDir: true);
        var e = await Assert.ThrowsAsync<LabException>(() => ExtractAsync("/", Tar(File("d", "file")), noOverwriteDirNonDir: true));

        Assert.Equal("new", System.IO.File.ReadAllText(Path.Combine(_root, "f")));
        Assert.Contains("cannot overwrite directory", e.Message);
        Assert.True(Directory.Exists(Path.Combine(_root, "d")));
    }

    [Fact]
    public async Task A_device_node_is_refused_and_garbage_is_not_a_tar()
    {
        var device = await Assert.ThrowsAsync<LabException>(() => ExtractAsync("/", Tar(
            new PaxTarEntry(TarEntryType.BlockDevice, "sda") { DeviceMajor = 8, DeviceMinor = 0 })));
        var garbage = await Assert.ThrowsAsync<LabException>(() => ExtractAsync("/", new MemoryStream(new byte[1024].Select(_ => (byte)'x').ToArray())));

        Assert.Contains("device node", device.Message);
        Assert.Contains("not a readable tar", garbage.Message);
        Assert.False(System.IO.File.Exists(Path.Combine(_root, "sda")));
    }
}
