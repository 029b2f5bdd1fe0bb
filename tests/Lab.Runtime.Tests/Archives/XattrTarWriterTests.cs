using System.Formats.Tar;
using System.Text;
using Lab.Runtime.Archives;
using Lab.Runtime.Tests.Images.Oci;

namespace Lab.Runtime.Tests.Archives;

public sealed class XattrTarWriterTests : IDisposable
{
    static readonly byte[] Every = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
    static readonly DateTimeOffset Mtime = DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(1234500);
    readonly string _dir = Directory.CreateTempSubdirectory("lab-xattr-tar-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static PaxTarEntry File(string name, string content) => new(TarEntryType.RegularFile, name)
    {
        DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
        Mode = (UnixFileMode)0x1ED,
        Uid = 1000,
        Gid = 50,
        ModificationTime = Mtime,
    };

    static async Task<byte[]> WriteAsync(PaxTarEntry entry, Dictionary<string, byte[]>? xattrs)
    {
        var tar = new MemoryStream();
        await using (var writer = new XattrTarWriter(tar))
            await writer.WriteEntryAsync(entry, xattrs, CancellationToken.None);
        return tar.ToArray();
    }

    [Fact]
    public async Task An_entry_without_xattrs_is_written_byte_for_byte_as_TarWriter_writes_it()
    {
        var plain = new MemoryStream();
        await using (var writer = new TarWriter(plain, TarEntryFormat.Pax, leaveOpen: true))
            await writer.WriteEntryAsync(File("etc/motd", "hello"));

        Assert.Equal(plain.ToArray(), await WriteAsync(File("etc/motd", "hello"), new() { ["trusted.overlay.opaque"] = "y"u8.ToArray() }));
    }

    [Fact]
    public async Task Xattrs_go_in_an_extended_header_of_their_own_as_raw_bytes_as_Go_writes_them()
    {
        var tar = await WriteAsync(File("usr/bin/ping", "ELF"), new() { ["user.bin"] = Every });

        Assert.Equal((byte)'x', tar[156]);
        Assert.Equal("usr/bin/PaxHeaders.0/ping", Encoding.ASCII.GetString(tar, 0, 100).TrimEnd('\0'));
        var size = Convert.ToInt32(Encoding.ASCII.GetString(tar, 124, 11), 8);
        var records = tar.AsSpan(512, size);
        byte[] expected = [.. "283 SCHILY.xattr.user.bin="u8, .. Every, (byte)'\n']; // 21 + 256 + 3 + 3 digits
        Assert.True(records.IndexOf(expected) >= 0, Encoding.Latin1.GetString(records));
        Assert.True(records.IndexOf("21 path=usr/bin/ping\n"u8) >= 0);
        Assert.True(records.IndexOf("26 mtime=1700000000.12345\n"u8) >= 0, Encoding.Latin1.GetString(records));
    }

    [Fact]
    public async Task The_entry_reads_back_whole_with_its_raw_xattrs()
    {
        var tar = await WriteAsync(File("usr/bin/ping", "ELF"), new() { ["user.bin"] = Every, ["security.capability"] = [1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff] });

        using var reader = new XattrTarReader(new MemoryStream(tar));
        var entry = reader.GetNextEntry()!;

        Assert.Equal(("usr/bin/ping", TarEntryType.RegularFile, (UnixFileMode)0x1ED, 1000, 50), (entry.Name, entry.EntryType, entry.Mode, entry.Uid, entry.Gid));
        Assert.Equal(Mtime, entry.ModificationTime);
        Assert.Equal("ELF", new StreamReader(entry.DataStream!).ReadToEnd());
        Assert.Equal(Every, reader.Xattrs["user.bin"]);
        Assert.Equal(0xff, reader.Xattrs["security.capability"][19]);
        Assert.Null(reader.GetNextEntry());
    }

    [Fact]
    public async Task A_long_non_ascii_name_survives_in_the_path_record()
    {
        var name = "data/" + new string('é', 80) + "/" + new string('n', 120);
        var tar = await WriteAsync(File(name, "x"), new() { ["user.k"] = [0xff] });

        using var reader = new XattrTarReader(new MemoryStream(tar));
        Assert.Equal(name, reader.GetNextEntry()!.Name);
        Assert.Equal([0xff], reader.Xattrs["user.k"]);
    }

    [Fact]
    public async Task GNU_tar_restores_the_same_bytes()
    {
        var path = Path.Combine(_dir, "layer.tar");
        await System.IO.File.WriteAllBytesAsync(path, await WriteAsync(File("f", "x"), new() { ["user.bin"] = Every }));
        Directory.CreateDirectory(Path.Combine(_dir, "out"));

        Inode.Run("tar", "--xattrs", "--xattrs-include=*", "-xf", path, "-C", Path.Combine(_dir, "out"));

        Assert.Equal(Every, Inode.Xattr(Path.Combine(_dir, "out", "f"), "user.bin"));
    }
}
