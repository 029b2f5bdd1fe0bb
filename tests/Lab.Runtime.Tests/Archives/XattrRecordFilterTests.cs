using System.Formats.Tar;
using System.Text;
using Lab.Runtime.Archives;

namespace Lab.Runtime.Tests.Archives;

public sealed class XattrRecordFilterTests
{
    static readonly byte[] Newline = [0x0A, 0x00, 0xFF];

    [Fact]
    public void The_BCL_reader_alone_refuses_a_value_holding_a_newline_byte()
    {
        var tar = new GoTar().File("f", "x"u8.ToArray(), new Dictionary<string, byte[]> { ["user.k"] = Newline }).Build();

        using var reader = new TarReader(new MemoryStream(tar));
        Assert.Throws<InvalidDataException>(() => reader.GetNextEntry());
    }

    [Fact]
    public void An_extended_header_of_xattrs_alone_is_taken_out_whole()
    {
        var withXattrs = new GoTar().File("f", "x"u8.ToArray(), new Dictionary<string, byte[]> { ["user.k"] = Newline }).Build();
        var without = new GoTar().File("f", "x"u8.ToArray(), new Dictionary<string, byte[]>()).Build();
        var filter = new XattrRecordFilter(new MemoryStream(withXattrs));

        var seen = new MemoryStream();
        filter.CopyTo(seen);

        Assert.Equal(without, seen.ToArray());
        Assert.Equal(1, filter.Entries);
        Assert.Equal(Newline, Assert.Single(filter.EntryRecords, r => r.Key == "SCHILY.xattr.user.k").Value);
    }

    [Fact]
    public async Task The_other_records_reach_the_reader_in_a_header_rewritten_to_their_size()
    {
        var name = "dir/" + new string('n', 150); // needs its path record
        var tar = new MemoryStream();
        await using (var writer = new XattrTarWriter(tar))
            await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, name) { ModificationTime = DateTimeOffset.FromUnixTimeSeconds(5) },
                new Dictionary<string, byte[]> { ["user.k"] = Newline }, CancellationToken.None);

        using var reader = new TarReader(new XattrRecordFilter(new MemoryStream(tar.ToArray())));
        var entry = (PaxTarEntry)reader.GetNextEntry()!;

        Assert.Equal(name, entry.Name);
        Assert.DoesNotContain(entry.ExtendedAttributes.Keys, k => k.StartsWith("SCHILY.", StringComparison.Ordinal));
        Assert.Equal(name, entry.ExtendedAttributes["path"]);
        Assert.Null(reader.GetNextEntry());
    }
}
