using System.Text;

namespace Lab.Runtime.Tests.Archives;

/// <summary>Writes a tar block by block exactly as Go's archive/tar Writer does for regular files whose header
/// has PAXRecords (dockerd's and containerd's layers): an extended header named <c>dir/PaxHeaders.0/base</c>
/// (mode, owner, mtime 0, ustar magic) holding the records sorted by key, each <c>"%d %s=%s\n"</c> with the value
/// as raw bytes, then the ustar header and the data, each padded to 512 bytes, and two zero blocks at the end.
/// Written independently of the code under test, from Go's writer.go and format.go.</summary>
sealed class GoTar
{
    readonly MemoryStream _tar = new();

    public GoTar File(string name, byte[] content, IReadOnlyDictionary<string, byte[]> xattrs, int mode = 0x1A4,
        int uid = 0, int gid = 0, long mtime = 1700000000)
    {
        if (xattrs.Count > 0)
        {
            var records = new MemoryStream();
            foreach (var (key, value) in xattrs.Select(x => ("SCHILY.xattr." + x.Key, x.Value)).OrderBy(r => r.Item1, StringComparer.Ordinal))
                records.Write(Record(key, value));
            var slash = name.LastIndexOf('/');
            Block(name[..(slash + 1)] + "PaxHeaders.0/" + name[(slash + 1)..], (byte)'x', 0, 0, 0, records.Length, 0);
            Data(records.ToArray());
        }
        Block(name, (byte)'0', mode, uid, gid, content.Length, mtime);
        Data(content);
        return this;
    }

    public byte[] Build()
    {
        _tar.Write(new byte[1024]);
        return _tar.ToArray();
    }

    /// <summary>Go's formatPAXRecord: the length counts the whole record, its own digits included.</summary>
    static byte[] Record(string key, byte[] value)
    {
        var rest = Encoding.UTF8.GetByteCount(key) + value.Length + 3; // " ", "=", "\n"
        var size = rest + rest.ToString().Length;
        if (size.ToString().Length + rest != size) size = size.ToString().Length + rest; // one digit more
        var record = new MemoryStream();
        record.Write(Encoding.ASCII.GetBytes($"{size} {key}="));
        record.Write(value);
        record.WriteByte((byte)'\n');
        if (record.Length != size) throw new InvalidOperationException("record length");
        return record.ToArray();
    }

    void Block(string name, byte type, int mode, int uid, int gid, long size, long mtime)
    {
        var b = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(b, 0);
        Octal(b, 100, 8, mode);
        Octal(b, 108, 8, uid);
        Octal(b, 116, 8, gid);
        Octal(b, 124, 12, size);
        Octal(b, 136, 12, mtime);
        b[156] = type;
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(b, 257);
        Octal(b, 329, 8, 0); // devmajor, devminor: Go's templateV7Plus formats them as numbers
        Octal(b, 337, 8, 0);
        for (int i = 148; i < 156; i++) b[i] = (byte)' ';
        Octal(b, 148, 7, b.Sum(x => (long)x));
        _tar.Write(b);
    }

    void Data(byte[] data)
    {
        _tar.Write(data);
        _tar.Write(new byte[(512 - data.Length % 512) % 512]);
    }

    static void Octal(byte[] b, int offset, int length, long value) =>
        Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(length - 1, '0') + "\0").CopyTo(b, offset);
}
