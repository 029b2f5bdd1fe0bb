using System.Formats.Tar;
using Lab.Runtime.Archives;

namespace Lab.Engine.Build.Steps;

/// <summary>The files a COPY/ADD/WORKDIR step adds, written as an uncompressed OCI layer tar: paths relative to
/// the root, directories with a trailing '/', parents before children (ordinal order), the owner the step gives
/// and the source's mode and mtime. Directories the step had to create come in with it; parents the image
/// already has are left out so their owner and mode stay as they are. A file keeps its source's content xattrs (a
/// context file's capability, as the CLI sent it).</summary>
public sealed class LayerTar
{
    readonly SortedDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public abstract record Entry(UnixFileMode Mode, int Uid, int Gid, DateTimeOffset Time);
    public sealed record DirEntry(UnixFileMode Mode, int Uid, int Gid, DateTimeOffset Time) : Entry(Mode, Uid, Gid, Time);
    public sealed record FileEntry(string HostPath, UnixFileMode Mode, int Uid, int Gid, DateTimeOffset Time) : Entry(Mode, Uid, Gid, Time);
    public sealed record LinkEntry(string Target, int Uid, int Gid, DateTimeOffset Time) : Entry((UnixFileMode)0x1FF, Uid, Gid, Time);

    /// <summary>A tar-sourced file (ADD of an archive): its bytes are kept in a temp file by the caller.</summary>
    public bool IsEmpty => _entries.Count == 0;

    public bool Has(string path) => _entries.ContainsKey(Trim(path));

    public void Add(string path, Entry entry) => _entries[Trim(path)] = entry;

    /// <summary>Adds the missing parents of <paramref name="path"/> (those <paramref name="imageHas"/> says the
    /// image lacks) as 0755 directories of the given owner.</summary>
    public void AddParents(string path, Func<string, bool> imageHas, int uid, int gid)
    {
        var parts = Trim(path).Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            var parent = string.Join('/', parts[..i]);
            if (!_entries.ContainsKey(parent) && !imageHas(parent))
                _entries[parent] = new DirEntry((UnixFileMode)0x1ED, uid, gid, DateTimeOffset.UtcNow);
        }
    }

    public async Task WriteAsync(Stream destination, CancellationToken ct)
    {
        await using var tar = new XattrTarWriter(destination);
        foreach (var (path, entry) in _entries)
        {
            ct.ThrowIfCancellationRequested();
            PaxTarEntry tarEntry = entry switch
            {
                DirEntry => new PaxTarEntry(TarEntryType.Directory, path + "/"),
                LinkEntry link => new PaxTarEntry(TarEntryType.SymbolicLink, path) { LinkName = link.Target },
                _ => new PaxTarEntry(TarEntryType.RegularFile, path),
            };
            tarEntry.Mode = entry.Mode;
            tarEntry.Uid = entry.Uid;
            tarEntry.Gid = entry.Gid;
            tarEntry.ModificationTime = entry.Time;
            if (entry is FileEntry file)
            {
                await using var data = File.OpenRead(file.HostPath);
                tarEntry.DataStream = data;
                await tar.WriteEntryAsync(tarEntry, HostXattrs.Read(file.HostPath), ct);
            }
            else await tar.WriteEntryAsync(tarEntry, null, ct);
        }
    }

    static string Trim(string path) => path.Trim('/');
}
