using System.Text;
using Lab.Runtime.Archives;

namespace Lab.Runtime.Tests.Archives;

public sealed class PaxRecordsTests
{
    static KeyValuePair<string, byte[]> R(string key, byte[] value) => new(key, value);

    [Fact]
    public void A_record_is_its_length_a_space_the_key_an_equals_sign_the_value_and_a_newline()
    {
        Assert.Equal("30 mtime=1432668921.098285006\n"u8.ToArray(), PaxRecords.Format([R("mtime", "1432668921.098285006"u8.ToArray())]));
        Assert.Equal("6 k=1\n"u8.ToArray(), PaxRecords.Format([R("k", "1"u8.ToArray())]));
    }

    [Theory]
    [InlineData(5)]  // 5 + 3 + 1 digit = 9: one digit
    [InlineData(6)]  // 6 + 3 = 9 + 1 digit = 10: two digits, so 11
    [InlineData(95)] // 95 + 3 = 98 + 2 = 100: three digits, so 101
    public void The_length_counts_its_own_digits_even_when_they_add_one(int valueLength)
    {
        var record = PaxRecords.Format([R("k", new byte[valueLength])]);

        var space = Array.IndexOf(record, (byte)' ');
        Assert.Equal(record.Length, int.Parse(Encoding.ASCII.GetString(record, 0, space)));
    }

    [Fact]
    public void Values_are_raw_bytes_both_ways_nul_and_invalid_utf8_included()
    {
        var every = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var data = PaxRecords.Format([R("SCHILY.xattr.user.bin", every), R("path", "é/x"u8.ToArray())]);

        var records = PaxRecords.Parse(data);

        Assert.Equal(["SCHILY.xattr.user.bin", "path"], records.Select(r => r.Key));
        Assert.Equal(every, records[0].Value);
        Assert.Equal("é/x"u8.ToArray(), records[1].Value);
    }

    [Fact]
    public void Parsing_stops_at_the_blocks_nul_padding()
    {
        var data = PaxRecords.Format([R("a", "1"u8.ToArray())]).Concat(new byte[500]).ToArray();

        Assert.Single(PaxRecords.Parse(data));
    }

    [Theory]
    [InlineData("7 a=1\n")]     // length past the record
    [InlineData("5 a=1\n")]     // length short of the newline
    [InlineData("x a=1\n")]     // not a number
    [InlineData("6 a1\n\n")]    // no '='
    public void A_malformed_record_is_invalid_data(string data)
    {
        Assert.Throws<InvalidDataException>(() => PaxRecords.Parse(Encoding.ASCII.GetBytes(data)));
    }

    [Fact]
    public void A_key_with_an_equals_sign_cannot_be_written()
    {
        Assert.Throws<ArgumentException>(() => PaxRecords.Format([R("a=b", [])]));
    }
}
