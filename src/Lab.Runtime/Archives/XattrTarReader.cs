using System.Formats.Tar;

namespace Lab.Runtime.Archives;

/// <summary>A <see cref="TarReader"/> that also gives each entry's extended attributes as raw bytes (the content
/// ones, <see cref="TarXattrs"/>), taken from its SCHILY.xattr records by the <see cref="XattrRecordFilter"/> the
/// reader reads through. The reader never reads ahead of the entry it returns, so the filter's last entry is that
/// entry; the two entry counts are checked to stay in step.</summary>
public sealed class XattrTarReader : IDisposable, IAsyncDisposable
{
    static readonly IReadOnlyDictionary<string, byte[]> None = new Dictionary<string, byte[]>();

    readonly Stream _archive;
    readonly bool _leaveOpen;
    readonly XattrRecordFilter _filter;
    readonly TarReader _reader;
    int _returned;

    public XattrTarReader(Stream archive, bool leaveOpen = true)
    {
        _archive = archive;
        _leaveOpen = leaveOpen;
        _filter = new XattrRecordFilter(archive);
        _reader = new TarReader(_filter, leaveOpen: true);
    }

    /// <summary>The content extended attributes of the entry last returned.</summary>
    public IReadOnlyDictionary<string, byte[]> Xattrs { get; private set; } = None;

    /// <summary>The next entry, its data read from the archive as it is consumed (copyData: false).</summary>
    public TarEntry? GetNextEntry() => Track(_reader.GetNextEntry(copyData: false));

    public async ValueTask<TarEntry?> GetNextEntryAsync(CancellationToken ct) =>
        Track(await _reader.GetNextEntryAsync(copyData: false, ct));

    TarEntry? Track(TarEntry? entry)
    {
        Xattrs = None;
        if (entry is null) return null;
        if (++_returned != _filter.Entries)
            throw new InvalidDataException($"the tar's headers could not be followed at entry \"{entry.Name}\"");
        var xattrs = TarXattrs.FromRecords(_filter.EntryRecords);
        if (xattrs.Count > 0) Xattrs = xattrs;
        return entry;
    }

    public void Dispose()
    {
        _reader.Dispose();
        if (!_leaveOpen) _archive.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.DisposeAsync();
        if (!_leaveOpen) await _archive.DisposeAsync();
    }
}
