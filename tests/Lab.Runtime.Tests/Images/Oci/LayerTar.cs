using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Lab.Runtime.Tests.Images.Oci;

/// <summary>Builds layer tars by hand, entry by entry, including the hostile ones no real tool would write.</summary>
sealed class LayerTar
{
    public static readonly DateTimeOffset Mtime = new(2024, 3, 1, 12, 30, 15, TimeSpan.Zero);
    readonly List<TarEntry> _entries = [];

    public LayerTar Dir(string name, int mode = 0b111_101_101, int uid = 0, int gid = 0, DateTimeOffset? mtime = null) =>
        Add(new PaxTarEntry(TarEntryType.Directory, name), mode, uid, gid, mtime);

    public LayerTar File(string name, string text, int mode = 0b110_100_100, int uid = 0, int gid = 0,
        DateTimeOffset? mtime = null, IEnumerable<KeyValuePair<string, string>>? pax = null)
    {
        var entry = pax is null
            ? new PaxTarEntry(TarEntryType.RegularFile, name)
            : new PaxTarEntry(TarEntryType.RegularFile, name, pax);
        entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return Add(entry, mode, uid, gid, mtime);
    }

    public LayerTar Symlink(string name, string target, int uid = 0, int gid = 0) =>
        Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target }, 0b111_111_111, uid, gid, null);

    public LayerTar HardLink(string name, string target) =>
        Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target }, 0b110_100_100, 0, 0, null);

    public LayerTar CharDevice(string name, int major, int minor, int mode = 0b110_110_110) =>
        Add(new PaxTarEntry(TarEntryType.CharacterDevice, name) { DeviceMajor = major, DeviceMinor = minor }, mode, 0, 0, null);

    public LayerTar BlockDevice(string name, int major, int minor) =>
        Add(new PaxTarEntry(TarEntryType.BlockDevice, name) { DeviceMajor = major, DeviceMinor = minor }, 0b110_110_000, 0, 6, null);

    public LayerTar Fifo(string name) => Add(new PaxTarEntry(TarEntryType.Fifo, name), 0b110_100_100, 0, 0, null);

    /// <summary>OCI whiteout: hides <paramref name="name"/> of the layers below.</summary>
    public LayerTar Whiteout(string name)
    {
        var slash = name.LastIndexOf('/');
        return File(name[..(slash + 1)] + ".wh." + name[(slash + 1)..], "");
    }

    public LayerTar Opaque(string dir) => File(dir.TrimEnd('/') + "/.wh..wh..opq", "");

    LayerTar Add(TarEntry entry, int mode, int uid, int gid, DateTimeOffset? mtime)
    {
        entry.Mode = (UnixFileMode)mode;
        entry.Uid = uid;
        entry.Gid = gid;
        entry.ModificationTime = mtime ?? Mtime;
        _entries.Add(entry);
        return this;
    }

    public byte[] Build()
    {
        var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, leaveOpen: true))
            foreach (var entry in _entries)
            {
                entry.DataStream?.Seek(0, SeekOrigin.Begin);
                writer.WriteEntry(entry);
            }
        return buffer.ToArray();
    }

    public byte[] BuildGzip() => Gzip(Build());

    public static byte[] Gzip(byte[] tar)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(tar);
        return buffer.ToArray();
    }
}
