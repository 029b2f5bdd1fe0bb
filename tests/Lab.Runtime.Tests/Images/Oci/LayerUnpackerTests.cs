using System.Text;
using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Tests.Images.Oci;

public sealed class LayerUnpackerTests : IDisposable
{
    readonly ImageTestDir _dir = new();
    readonly FileContentStore _content;
    readonly LayerUnpacker _unpacker;

    public LayerUnpackerTests()
    {
        _content = new FileContentStore(_dir.Combine("store"));
        _unpacker = new LayerUnpacker(_content, _dir.Combine("store"));
    }

    async Task<UnpackedLayer> Unpack(byte[] blob, Digest? expectedDiffId = null)
    {
        var info = await _content.WriteBytesAsync(blob);
        return await _unpacker.UnpackAsync(info.Digest, expectedDiffId);
    }

    string[] LayerDirs() =>
        Directory.Exists(_dir.Combine("store", "layers", "sha256")) ? Directory.GetDirectories(_dir.Combine("store", "layers", "sha256")) : [];

    string[] IngestLeftovers() =>
        Directory.Exists(_dir.Combine("store", "ingest")) ? Directory.GetFileSystemEntries(_dir.Combine("store", "ingest")) : [];

    [Fact]
    public async Task The_layer_lands_under_layers_named_by_the_digest_of_its_uncompressed_tar()
    {
        var tar = new LayerTar().File("hello", "hi").Build();

        var layer = await Unpack(tar);

        Assert.Equal(Digest.Of(tar), layer.DiffId);
        Assert.Equal(_dir.Combine("store", "layers", "sha256", Digest.Of(tar).Hex), layer.Path);
        Assert.Equal("hi", File.ReadAllText(Path.Combine(layer.Path, "hello")));
        var root = Inode.Of(layer.Path);
        Assert.Equal(("directory", 0b111_101_101, 0, 0), (root.Type, root.Mode, root.Uid, root.Gid));
        Assert.Empty(IngestLeftovers());
    }

    [Fact]
    public async Task A_gzip_layer_is_recognised_by_its_magic_and_gets_the_diff_id_of_its_tar()
    {
        var tar = new LayerTar().Dir("etc/").File("etc/hostname", "lab").Build();
        var gzip = LayerTar.Gzip(tar);

        var layer = await Unpack(gzip);

        Assert.NotEqual(Digest.Of(gzip), layer.DiffId);
        Assert.Equal(Digest.Of(tar), layer.DiffId);
        Assert.Equal("lab", File.ReadAllText(Path.Combine(layer.Path, "etc", "hostname")));
    }

    [Fact]
    public async Task Regular_files_keep_contents_mode_with_special_bits_owner_and_mtime()
    {
        var mtime = new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var layer = await Unpack(new LayerTar()
            .Dir("usr/").Dir("usr/bin/")
            .File("usr/bin/passwd", "#!/bin/sh\n", mode: 0b100_111_101_101, uid: 0, gid: 0, mtime: mtime)
            .File("usr/bin/shared", "x", mode: 0b010_111_101_000, uid: 1000, gid: 50)
            .Build());

        var passwd = Inode.Of(Path.Combine(layer.Path, "usr", "bin", "passwd"));
        Assert.Equal(("regular file", 0b100_111_101_101, mtime.ToUnixTimeSeconds()), (passwd.Type, passwd.Mode, passwd.Mtime));
        var shared = Inode.Of(Path.Combine(layer.Path, "usr", "bin", "shared"));
        Assert.Equal((0b010_111_101_000, 1000, 50), (shared.Mode, shared.Uid, shared.Gid));
        Assert.Equal("#!/bin/sh\n", File.ReadAllText(Path.Combine(layer.Path, "usr", "bin", "passwd")));
    }

    [Fact]
    public async Task Directories_keep_mode_owner_and_mtime_even_after_their_children_are_written()
    {
        var mtime = new DateTimeOffset(2019, 6, 7, 8, 9, 10, TimeSpan.Zero);
        var layer = await Unpack(new LayerTar()
            .Dir("tmp/", mode: 0b001_111_111_111, mtime: mtime)
            .Dir("home/", mode: 0b111_101_101).Dir("home/eleve/", mode: 0b111_000_000, uid: 1000, gid: 1000, mtime: mtime)
            .File("home/eleve/.bashrc", "PS1='$ '", uid: 1000, gid: 1000)
            .File("tmp/scratch", "")
            .Build());

        var tmp = Inode.Of(Path.Combine(layer.Path, "tmp"));
        Assert.Equal((0b001_111_111_111, mtime.ToUnixTimeSeconds()), (tmp.Mode, tmp.Mtime));
        var home = Inode.Of(Path.Combine(layer.Path, "home", "eleve"));
        Assert.Equal((0b111_000_000, 1000, 1000, mtime.ToUnixTimeSeconds()), (home.Mode, home.Uid, home.Gid, home.Mtime));
    }

    [Fact]
    public async Task Missing_parent_directories_are_created_root_owned_0755()
    {
        var layer = await Unpack(new LayerTar().File("a/b/c.txt", "deep", uid: 7, gid: 7).Build());

        var a = Inode.Of(Path.Combine(layer.Path, "a"));
        Assert.Equal(("directory", 0b111_101_101, 0, 0), (a.Type, a.Mode, a.Uid, a.Gid));
        Assert.Equal("deep", File.ReadAllText(Path.Combine(layer.Path, "a", "b", "c.txt")));
    }

    [Fact]
    public async Task Symlinks_are_kept_as_links_with_their_owner_even_when_absolute_or_dangling()
    {
        var layer = await Unpack(new LayerTar()
            .Symlink("bin", "usr/bin")
            .Symlink("etc-passwd", "/etc/passwd", uid: 3, gid: 4)
            .Symlink("dangling", "../../nowhere")
            .Build());

        Assert.Equal("usr/bin", new FileInfo(Path.Combine(layer.Path, "bin")).LinkTarget);
        Assert.Equal("/etc/passwd", new FileInfo(Path.Combine(layer.Path, "etc-passwd")).LinkTarget);
        Assert.Equal("../../nowhere", new FileInfo(Path.Combine(layer.Path, "dangling")).LinkTarget);
        var link = Inode.Of(Path.Combine(layer.Path, "etc-passwd"));
        Assert.Equal(("symbolic link", 3, 4), (link.Type, link.Uid, link.Gid));
    }

    [Fact]
    public async Task Hard_links_share_one_inode()
    {
        var layer = await Unpack(new LayerTar()
            .Dir("bin/").File("bin/busybox", "ELF", mode: 0b111_101_101).HardLink("bin/sh", "bin/busybox").HardLink("bin/ls", "./bin/busybox")
            .Build());

        var busybox = Inode.Of(Path.Combine(layer.Path, "bin", "busybox"));
        Assert.Equal(busybox.Inum, Inode.Of(Path.Combine(layer.Path, "bin", "sh")).Inum);
        Assert.Equal(busybox.Inum, Inode.Of(Path.Combine(layer.Path, "bin", "ls")).Inum);
        Assert.Equal("ELF", File.ReadAllText(Path.Combine(layer.Path, "bin", "ls")));
    }

    [Fact]
    public async Task Device_nodes_and_fifos_are_created_with_their_numbers()
    {
        var layer = await Unpack(new LayerTar()
            .Dir("dev/").CharDevice("dev/null", 1, 3).BlockDevice("dev/loop0", 7, 0).Fifo("dev/initctl")
            .Build());

        var nul = Inode.Of(Path.Combine(layer.Path, "dev", "null"));
        Assert.Equal(("character special file", 1, 3, 0b110_110_110), (nul.Type, nul.Major, nul.Minor, nul.Mode));
        var loop = Inode.Of(Path.Combine(layer.Path, "dev", "loop0"));
        Assert.Equal(("block special file", 7, 0, 6), (loop.Type, loop.Major, loop.Minor, loop.Gid));
        Assert.Equal("fifo", Inode.Of(Path.Combine(layer.Path, "dev", "initctl")).Type);
    }

    [Fact]
    public async Task A_whiteout_becomes_an_overlay_whiteout_device_and_an_opaque_marker_an_xattr()
    {
        var layer = await Unpack(new LayerTar()
            .Dir("etc/").Whiteout("etc/motd")
            .Dir("var/").Dir("var/cache/").Opaque("var/cache").File("var/cache/new", "fresh")
            .Build());

        var whiteout = Inode.Of(Path.Combine(layer.Path, "etc", "motd"));
        Assert.Equal(("character special file", 0, 0), (whiteout.Type, whiteout.Major, whiteout.Minor));
        Assert.False(File.Exists(Path.Combine(layer.Path, "etc", ".wh.motd")));
        Assert.Equal("y"u8.ToArray(), Inode.Xattr(Path.Combine(layer.Path, "var", "cache"), "trusted.overlay.opaque"));
        Assert.Null(Inode.Xattr(Path.Combine(layer.Path, "var"), "trusted.overlay.opaque"));
        Assert.Equal(["new"], Directory.GetFileSystemEntries(Path.Combine(layer.Path, "var", "cache")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Stacked_as_overlay_lowerdirs_whiteouts_hide_lower_files_and_opaque_dirs_hide_lower_contents()
    {
        var lower = await Unpack(new LayerTar()
            .Dir("etc/").File("etc/motd", "old motd").File("etc/hostname", "lab")
            .Dir("var/").Dir("var/cache/").File("var/cache/stale", "stale")
            .Build());
        var upper = await Unpack(new LayerTar()
            .Dir("etc/").Whiteout("etc/motd")
            .Dir("var/").Dir("var/cache/").Opaque("var/cache").File("var/cache/new", "fresh")
            .Build());
        var merged = Directory.CreateDirectory(_dir.Combine("merged")).FullName;

        // A private mount namespace: the mount disappears with the shell, whatever happens to the test.
        var listing = Inode.Run("unshare", "--mount", "--propagation", "private", "sh", "-c",
            $"mount -t overlay overlay -o ro,lowerdir={upper.Path}:{lower.Path} {merged} && ls -A {merged}/etc {merged}/var/cache");

        Assert.Equal($"{merged}/etc:\nhostname\n\n{merged}/var/cache:\nnew\n", listing);
    }

    [Fact]
    public async Task A_whiteout_never_hides_an_entry_of_its_own_layer()
    {
        var layer = await Unpack(new LayerTar()
            .File("kept", "before").Whiteout("kept")
            .Whiteout("also-kept").File("also-kept", "after")
            .Build());

        Assert.Equal("before", File.ReadAllText(Path.Combine(layer.Path, "kept")));
        Assert.Equal("after", File.ReadAllText(Path.Combine(layer.Path, "also-kept")));
    }

    [Fact]
    public async Task A_later_entry_replaces_an_earlier_one_of_the_same_name()
    {
        var layer = await Unpack(new LayerTar()
            .File("x", "file").Symlink("x", "target")
            .Dir("d/").File("d/inner", "").File("d", "now a file")
            .Build());

        Assert.Equal("target", new FileInfo(Path.Combine(layer.Path, "x")).LinkTarget);
        Assert.Equal("now a file", File.ReadAllText(Path.Combine(layer.Path, "d")));
    }

    [Fact]
    public async Task Safe_extended_attributes_are_kept_and_the_hosts_namespaces_are_not()
    {
        // security.capability v2 for cap_net_raw+ep, as Debian's ping carries it.
        var capability = Encoding.UTF8.GetString([1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        var layer = await Unpack(new LayerTar()
            .File("ping", "ELF", mode: 0b111_101_101, pax:
            [
                new("SCHILY.xattr.security.capability", capability),
                new("SCHILY.xattr.user.origin", "debian"),
                new("SCHILY.xattr.trusted.overlay.redirect", "/etc"),
            ])
            .Build());

        var ping = Path.Combine(layer.Path, "ping");
        Assert.Equal(Encoding.UTF8.GetBytes(capability), Inode.Xattr(ping, "security.capability"));
        Assert.Equal("debian"u8.ToArray(), Inode.Xattr(ping, "user.origin"));
        Assert.Null(Inode.Xattr(ping, "trusted.overlay.redirect"));
    }

    [Fact]
    public async Task A_binary_capability_as_Go_writes_it_is_restored_byte_for_byte()
    {
        // cap_dac_override,cap_fowner,cap_net_raw+ep (0x200A: a newline byte) and bits in every byte above 0x7F.
        byte[] capability = [1, 0, 0, 2, 0x0A, 0x20, 0x80, 0xFF, 0, 0, 0, 0, 0xC3, 0x28, 0, 0, 0, 0, 0, 0];
        var every = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var tar = new Archives.GoTar()
            .File("usr/bin/ping", "ELF"u8.ToArray(), new Dictionary<string, byte[]> { ["security.capability"] = capability, ["user.bin"] = every }, mode: 0x1ED)
            .Build();

        var layer = await Unpack(tar);

        var ping = Path.Combine(layer.Path, "usr", "bin", "ping");
        Assert.Equal(capability, Inode.Xattr(ping, "security.capability"));
        Assert.Equal(every, Inode.Xattr(ping, "user.bin"));
        Assert.Equal("ELF", File.ReadAllText(ping));
        Assert.Equal(Digest.Of(tar), layer.DiffId);
    }

    [Fact]
    public async Task A_second_unpack_of_a_known_diff_id_reuses_the_directory()
    {
        var tar = new LayerTar().File("hello", "hi").Build();
        var first = await Unpack(tar);
        File.WriteAllText(Path.Combine(first.Path, "marker"), "still the same directory");

        var again = await _unpacker.UnpackAsync(Digest.Of(tar), Digest.Of(tar));
        var recomputed = await _unpacker.UnpackAsync(Digest.Of(tar));

        Assert.Equal(first, again);
        Assert.Equal(first, recomputed);
        Assert.True(File.Exists(Path.Combine(first.Path, "marker")));
        Assert.Single(LayerDirs());
        Assert.Empty(IngestLeftovers());
    }

    [Fact]
    public async Task A_layer_that_does_not_match_the_configs_diff_id_is_refused_and_nothing_is_kept()
    {
        var tar = new LayerTar().File("hello", "hi").Build();
        var claimed = Digest.Of("another layer"u8);

        var error = await Assert.ThrowsAsync<DigestMismatchException>(() => Unpack(tar, claimed));

        Assert.Equal((claimed, Digest.Of(tar)), (error.Expected, error.Actual));
        Assert.Empty(LayerDirs());
        Assert.Empty(IngestLeftovers());
    }

    [Theory]
    [InlineData("/etc/passwd", "absolute path")]
    [InlineData("../escape", "'..'")]
    [InlineData("etc/../../escape", "'..'")]
    public async Task Entries_that_would_leave_the_layer_are_refused(string name, string reason)
    {
        var error = await Assert.ThrowsAsync<LabException>(() => Unpack(new LayerTar().File(name, "pwned").Build()));

        Assert.Equal(ErrorKind.InvalidParameter, error.Kind);
        Assert.Contains($"'{name}'", error.Message);
        Assert.Contains(reason, error.Message);
        Assert.Empty(LayerDirs());
        Assert.Empty(IngestLeftovers());
    }

    [Fact]
    public async Task An_entry_below_a_symlink_is_refused_so_a_link_cannot_carry_writes_out()
    {
        var outside = Directory.CreateDirectory(_dir.Combine("outside")).FullName;

        var error = await Assert.ThrowsAsync<LabException>(() => Unpack(new LayerTar()
            .Symlink("escape", outside).File("escape/planted", "pwned").Build()));

        Assert.Contains("'escape/planted'", error.Message);
        Assert.Contains("symlink", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(outside));
        Assert.Empty(LayerDirs());
    }

    [Fact]
    public async Task An_opaque_marker_inside_a_symlink_is_refused()
    {
        var error = await Assert.ThrowsAsync<LabException>(() => Unpack(new LayerTar()
            .Symlink("hostetc", "/etc").Opaque("hostetc").Build()));

        Assert.Contains("'hostetc/.wh..wh..opq'", error.Message);
        Assert.Contains("symlink", error.Message);
    }

    [Theory]
    [InlineData("../../etc/shadow")]
    [InlineData("/etc/shadow")]
    [InlineData("missing")]
    public async Task Hard_links_to_anything_outside_the_layer_are_refused(string target)
    {
        var error = await Assert.ThrowsAsync<LabException>(() => Unpack(new LayerTar().HardLink("shadow", target).Build()));

        Assert.Equal(ErrorKind.InvalidParameter, error.Kind);
        Assert.Contains("'shadow'", error.Message);
        Assert.Empty(LayerDirs());
    }

    [Fact]
    public async Task A_hard_link_through_a_symlinked_directory_is_refused()
    {
        var error = await Assert.ThrowsAsync<LabException>(() => Unpack(new LayerTar()
            .Symlink("hostetc", "/etc").HardLink("shadow", "hostetc/shadow").Build()));

        Assert.Contains("symlink", error.Message);
    }

    [Fact]
    public async Task A_zstd_layer_is_refused_with_a_clear_message()
    {
        byte[] zstd = [0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0];

        var error = await Assert.ThrowsAsync<LabException>(() => Unpack(zstd));

        Assert.Contains("zstd", error.Message);
    }

    [Fact]
    public async Task A_blob_that_is_not_a_tar_is_refused()
    {
        var error = await Assert.ThrowsAsync<LabException>(() => Unpack(Encoding.ASCII.GetBytes(new string('x', 1024))));

        Assert.Equal(ErrorKind.InvalidParameter, error.Kind);
        Assert.Empty(LayerDirs());
    }

    [Fact]
    public async Task Unpacking_a_blob_the_store_does_not_hold_is_not_found()
    {
        var error = await Assert.ThrowsAsync<LabException>(() => _unpacker.UnpackAsync(Digest.Of("nothing"u8)));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    public void Dispose() => _dir.Dispose();
}
