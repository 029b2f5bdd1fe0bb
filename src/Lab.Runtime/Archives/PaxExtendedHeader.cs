using System.Text;

namespace Lab.Runtime.Archives;

/// <summary>Writes one PAX extended header ('x' entry: a 512-byte header block, then the records padded to a
/// block) the way Go's archive/tar writes it (writePAXHeader, writeRawFile): named
/// <c>&lt;dir&gt;/PaxHeaders.0/&lt;base&gt;</c> in ASCII, at most 100 bytes, mode, owner and mtime 0, ustar magic.</summary>
internal static class PaxExtendedHeader
{
    public const int BlockSize = 512;
    const byte TypeFlag = (byte)'x';

    public static async Task WriteAsync(Stream destination, string entryName, byte[] records, CancellationToken ct)
    {
        var block = new byte[BlockSize];
        var name = Encoding.ASCII.GetBytes(HeaderName(entryName));
        name.AsSpan(0, Math.Min(name.Length, 100)).CopyTo(block);
        Octal(block.AsSpan(100, 8), 0);  // mode
        Octal(block.AsSpan(108, 8), 0);  // uid
        Octal(block.AsSpan(116, 8), 0);  // gid
        Octal(block.AsSpan(124, 12), records.Length);
        Octal(block.AsSpan(136, 12), 0); // mtime
        block[156] = TypeFlag;
        "ustar\0"u8.CopyTo(block.AsSpan(257));
        "00"u8.CopyTo(block.AsSpan(263));
        Checksum(block);
        await destination.WriteAsync(block, ct);
        await destination.WriteAsync(records, ct);
        var padding = (BlockSize - records.Length % BlockSize) % BlockSize;
        if (padding > 0) await destination.WriteAsync(new byte[padding], ct);
    }

    /// <summary>Go's name for the header: the entry's directory, "PaxHeaders.0", its base name; non-ASCII dropped.</summary>
    static string HeaderName(string entryName)
    {
        var trimmed = entryName.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        var name = trimmed[..(slash + 1)] + "PaxHeaders.0/" + trimmed[(slash + 1)..];
        var ascii = new string(name.Where(char.IsAscii).ToArray());
        return (ascii.Length > 100 ? ascii[..100] : ascii).TrimEnd('/');
    }

    /// <summary>Octal digits padded with zeros to fill all but the last byte, which is NUL.</summary>
    static void Octal(Span<byte> field, long value)
    {
        var digits = Convert.ToString(value, 8).PadLeft(field.Length - 1, '0');
        Encoding.ASCII.GetBytes(digits, field);
        field[^1] = 0;
    }

    /// <summary>The header's byte sum with the checksum field counted as spaces, written as six octal digits, NUL,
    /// space.</summary>
    static void Checksum(byte[] block)
    {
        block.AsSpan(148, 8).Fill((byte)' ');
        var sum = block.Sum(b => (long)b);
        Octal(block.AsSpan(148, 7), sum);
        block[155] = (byte)' ';
    }
}
