using System.Formats.Tar;
using Lab.Runtime.Archives;
using Lab.Runtime.Tests.Images.Oci;

namespace Lab.Runtime.Tests.Archives;

public sealed class XattrTarReaderTests : IDisposable
{
    static readonly byte[] Every = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
    // cap_net_raw,cap_sys_admin+ep with bits set in every byte it can hold: not UTF-8.
    static readonly byte[] Capability = [1, 0, 0, 2, 0x80, 0xFF, 0x20, 0xC3, 0x28, 0xA0, 0xA1, 0xF0, 0, 0, 0, 0, 0xFE, 0, 0, 0];
    readonly string _dir = Directory.CreateTempSubdirectory("lab-xattr-read-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_tar_as_Go_writes_it_gives_each_entry_its_own_raw_xattrs()
    {
        var tar = new GoTar()
            .File("bin/ping", "ELF"u8.ToArray(), new Dictionary<string, byte[]>
            {
                ["security.capability"] = Capability, ["user.bin"] = Every, ["trusted.overlay.redirect"] = "/x"u8.ToArray(),
            })
            .File("bin/plain", new byte[700], new Dictionary<string, byte[]>())
            .File("bin/last", new byte[1025], new Dictionary<string, byte[]> { ["user.k"] = [0] })
            .Build();

        using var reader = new XattrTarReader(new MemoryStream(tar));

        var ping = reader.GetNextEntry()!;
        Assert.Equal("bin/ping", ping.Name);
        Assert.Equal(Capability, reader.Xattrs["security.capability"]);
        Assert.Equal(Every, reader.Xattrs["user.bin"]);
        Assert.False(reader.Xattrs.ContainsKey("trusted.overlay.redirect"));
        Assert.Equal("ELF", new StreamReader(ping.DataStream!).ReadToEnd());
        Assert.Equal("bin/plain", reader.GetNextEntry()!.Name); // its data left unread: the reader skips it
        Assert.Empty(reader.Xattrs);
        Assert.Equal("bin/last", reader.GetNextEntry()!.Name);
        Assert.Equal([0], reader.Xattrs["user.k"]);
        Assert.Null(reader.GetNextEntry());
    }

    [Fact]
    public async Task Reading_a_byte_at_a_time_keeps_the_entries_and_their_xattrs_in_step()
    {
        var tar = new GoTar()
            .File("a", new byte[513], new Dictionary<string, byte[]> { ["user.a"] = Every })
            .File("b", [], new Dictionary<string, byte[]> { ["user.b"] = [0xC0] })
            .Build();

        await using var reader = new XattrTarReader(new TrickleStream(tar));

        Assert.Equal("a", (await reader.GetNextEntryAsync(CancellationToken.None))!.Name);
        Assert.Equal(Every, reader.Xattrs["user.a"]);
        Assert.Equal("b", (await reader.GetNextEntryAsync(CancellationToken.None))!.Name);
        Assert.Equal([0xC0], reader.Xattrs["user.b"]);
        Assert.False(reader.Xattrs.ContainsKey("user.a"));
        Assert.Null(await reader.GetNextEntryAsync(CancellationToken.None));
    }

    [Fact]
    public void A_tar_GNU_tar_made_gives_the_raw_bytes_it_read_from_the_file()
    {
        var file = Path.Combine(_dir, "f");
        File.WriteAllText(file, "x");
        Inode.SetXattr(file, "user.bin", Every);
        var tar = Path.Combine(_dir, "gnu.tar");
        Inode.Run("tar", "--xattrs", "--format=posix", "-cf", tar, "-C", _dir, "f");

        using var reader = new XattrTarReader(File.OpenRead(tar));

        Assert.Equal("f", reader.GetNextEntry()!.Name);
        Assert.Equal(Every, reader.Xattrs["user.bin"]);
    }

    /// <summary>Hands out one byte per read, so the tap meets every header split across reads.</summary>
    sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(1, buffer.Length)]);
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(1, count));
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            ValueTask.FromResult(Read(buffer.Span));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            Task.FromResult(Read(buffer, offset, count));
    }
}
