using System.Formats.Tar;
using System.Text;
using Lab.Runtime.Native;

namespace Lab.Runtime.Archives;

/// <summary>A PAX tar writer whose entries can carry extended attributes with raw byte values. An entry without
/// any is written by .NET's <see cref="TarWriter"/> as before. An entry with some gets an extended header of our
/// own (<see cref="PaxExtendedHeader"/>) holding its SCHILY.xattr records and the fields a ustar header cannot hold
/// (path and link path in full, mtime with its fraction, large ids), then the entry itself as a ustar entry through
/// the same TarWriter: .NET writes an extended header of its own before every PAX entry, and a second one would
/// replace ours in every reader (Go keeps only the last). The ustar header's name is cut to fit; readers take the
/// path record.</summary>
public sealed class XattrTarWriter(Stream destination) : IAsyncDisposable
{
    const int UstarNameSize = 100;
    const int UstarMaxId = 0x1FFFFF; // 7 octal digits
    const uint S_IFMT = 0xF000, S_IFDIR = 0x4000, S_IFREG = 0x8000;

    readonly TarWriter _tar = new(destination, TarEntryFormat.Pax, leaveOpen: true);

    public async Task WriteEntryAsync(PaxTarEntry entry, IReadOnlyDictionary<string, byte[]>? xattrs, CancellationToken ct)
    {
        var records = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in TarXattrs.ToRecords(xattrs)) records[key] = value;
        if (records.Count == 0)
        {
            await _tar.WriteEntryAsync(entry, ct);
            return;
        }
        records["path"] = Encoding.UTF8.GetBytes(entry.Name);
        if (!string.IsNullOrEmpty(entry.LinkName) && !FitsUstar(entry.LinkName))
            records["linkpath"] = Encoding.UTF8.GetBytes(entry.LinkName);
        records["mtime"] = Encoding.ASCII.GetBytes(PaxTime(entry.ModificationTime));
        if (entry.Uid > UstarMaxId) records["uid"] = Encoding.ASCII.GetBytes(entry.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (entry.Gid > UstarMaxId) records["gid"] = Encoding.ASCII.GetBytes(entry.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await PaxExtendedHeader.WriteAsync(destination, entry.Name, PaxRecords.Format(records), ct);
        await _tar.WriteEntryAsync(AsUstar(entry), ct);
    }

    /// <summary>A host file by its path (a recipe's tree): as TarWriter writes it from lstat, unless it is a file or
    /// directory with content xattrs, which is written from lstat here with them.</summary>
    public async Task WriteFileAsync(string path, string name, CancellationToken ct)
    {
        var st = Inode.OfPath(path);
        var type = st.Mode & S_IFMT;
        var xattrs = HostXattrs.Read(path);
        if (xattrs.Count == 0)
        {
            await _tar.WriteEntryAsync(path, name, ct);
            return;
        }
        var entry = new PaxTarEntry(type == S_IFDIR ? TarEntryType.Directory : TarEntryType.RegularFile, name)
        {
            Mode = (UnixFileMode)(st.Mode & 0xFFF),
            Uid = (int)st.Uid,
            Gid = (int)st.Gid,
            ModificationTime = File.GetLastWriteTimeUtc(path),
        };
        await using var data = type == S_IFREG ? File.OpenRead(path) : null;
        if (data is not null) entry.DataStream = data;
        await WriteEntryAsync(entry, xattrs, ct);
    }

    static UstarTarEntry AsUstar(PaxTarEntry entry)
    {
        var ustar = new UstarTarEntry(entry.EntryType, FitsUstar(entry.Name) ? entry.Name : Cut(entry.Name))
        {
            Mode = entry.Mode,
            Uid = entry.Uid > UstarMaxId ? 0 : entry.Uid,
            Gid = entry.Gid > UstarMaxId ? 0 : entry.Gid,
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(entry.ModificationTime.ToUnixTimeSeconds()),
        };
        if (entry.DataStream is not null) ustar.DataStream = entry.DataStream; // only data-bearing types take one
        if (!string.IsNullOrEmpty(entry.LinkName))
            ustar.LinkName = FitsUstar(entry.LinkName) ? entry.LinkName : Cut(entry.LinkName);
        if (entry.EntryType is TarEntryType.CharacterDevice or TarEntryType.BlockDevice)
        {
            ustar.DeviceMajor = entry.DeviceMajor;
            ustar.DeviceMinor = entry.DeviceMinor;
        }
        return ustar;
    }

    static bool FitsUstar(string name) => name.Length <= UstarNameSize && name.All(char.IsAscii);

    /// <summary>A stand-in for a name the path (or linkpath) record carries: ASCII, cut to the field.</summary>
    static string Cut(string name)
    {
        var ascii = new string(name.Select(c => char.IsAscii(c) ? c : '_').ToArray());
        return ascii.Length > UstarNameSize ? ascii[..UstarNameSize] : ascii;
    }

    /// <summary>Seconds since the epoch, with the fraction (up to 100 ns, trailing zeros dropped) when there is one.</summary>
    static string PaxTime(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTime.UnixEpoch.Ticks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var fraction);
        if (fraction < 0) (seconds, fraction) = (seconds - 1, fraction + TimeSpan.TicksPerSecond);
        var text = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return fraction == 0 ? text : $"{text}.{fraction:D7}".TrimEnd('0');
    }

    public ValueTask DisposeAsync() => _tar.DisposeAsync();
}
