using System.Text;

namespace Lab.Runtime.Archives;

/// <summary>The records of a PAX extended header ('x' entry data), POSIX pax format: each record is
/// <c>"%d %s=%s\n"</c>, where the decimal length counts the whole record including its own digits. Values are raw
/// bytes: Go's archive/tar (dockerd, containerd, skopeo) stores an extended attribute's value in a
/// <c>SCHILY.xattr.&lt;name&gt;</c> record byte for byte, which is not UTF-8 for a binary value such as
/// security.capability. .NET's TarReader and TarWriter only know string values, hence this shared reader/writer.</summary>
internal static class PaxRecords
{
    /// <summary>The records, in the order given (writers sort them, as Go does, for a deterministic header).</summary>
    public static byte[] Format(IEnumerable<KeyValuePair<string, byte[]>> records)
    {
        using var data = new MemoryStream();
        foreach (var (key, value) in records)
        {
            var keyBytes = Encoding.UTF8.GetBytes(key);
            if (keyBytes.Length == 0 || keyBytes.Contains((byte)'=') || keyBytes.Contains((byte)0))
                throw new ArgumentException($"'{key}' cannot be a PAX record key", nameof(records));
            var length = RecordLength(keyBytes.Length + value.Length + 3); // ' ', '=', '\n'
            data.Write(Encoding.ASCII.GetBytes(length.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            data.WriteByte((byte)' ');
            data.Write(keyBytes);
            data.WriteByte((byte)'=');
            data.Write(value);
            data.WriteByte((byte)'\n');
        }
        return data.ToArray();
    }

    /// <summary>The length of a record whose text without the length field is <paramref name="rest"/> bytes: adding
    /// the digits may add one more digit (e.g. 8 + "9" is 10, written "10").</summary>
    static int RecordLength(int rest)
    {
        var length = rest + Digits(rest);
        return Digits(length) == Digits(rest) ? length : length + 1;
    }

    static int Digits(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;

    /// <summary>The records of an extended header's data, values as raw bytes; a later record of the same key wins
    /// (as in Go). Trailing NUL padding is ignored; anything else malformed is an <see cref="InvalidDataException"/>.</summary>
    public static List<KeyValuePair<string, byte[]>> Parse(ReadOnlySpan<byte> data)
    {
        var records = new List<KeyValuePair<string, byte[]>>();
        while (data.Length > 0 && data[0] != 0)
        {
            var space = data.IndexOf((byte)' ');
            if (space <= 0 || !int.TryParse(data[..space], System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var length)
                || length <= space + 1 || length > data.Length || data[length - 1] != (byte)'\n')
                throw new InvalidDataException("malformed PAX record");
            var record = data[(space + 1)..(length - 1)];
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0) throw new InvalidDataException("malformed PAX record: no key");
            records.Add(new(Encoding.UTF8.GetString(record[..equals]), record[(equals + 1)..].ToArray()));
            data = data[length..];
        }
        return records;
    }
}
