using System.Formats.Tar;

namespace Lab.Runtime.Images.Oci;

/// <summary>Writes an export as a tar stream, the way <c>docker save</c> does: parent directories before their
/// files, owned by root, 0644/0755, and a fixed timestamp so the same images give the same bytes.</summary>
sealed class TarArchiveSink(Stream destination) : IArchiveSink
{
    const UnixFileMode FileMode = (UnixFileMode)0b110_100_100;
    const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101;

    readonly TarWriter _tar = new(destination, TarEntryFormat.Pax, leaveOpen: true);
    readonly HashSet<string> _written = [];

    public bool Has(string path) => _written.Contains(path);

    public async Task AddFileAsync(string path, Stream content, CancellationToken ct)
    {
        await AddParentsAsync(path, ct);
        var entry = Entry(TarEntryType.RegularFile, path, FileMode);
        entry.DataStream = content;
        await _tar.WriteEntryAsync(entry, ct);
        _written.Add(path);
    }

    async Task AddParentsAsync(string path, CancellationToken ct)
    {
        var slash = -1;
        while ((slash = path.IndexOf('/', slash + 1)) > 0)
        {
            var dir = path[..(slash + 1)];
            if (!_written.Add(dir)) continue;
            await _tar.WriteEntryAsync(Entry(TarEntryType.Directory, dir, DirectoryMode), ct);
        }
    }

    static PaxTarEntry Entry(TarEntryType type, string name, UnixFileMode mode) => new(type, name)
    {
        Mode = mode,
        Uid = 0,
        Gid = 0,
        ModificationTime = DateTimeOffset.UnixEpoch,
    };

    public ValueTask DisposeAsync() => _tar.DisposeAsync();
}
