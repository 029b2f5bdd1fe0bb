using System.Formats.Tar;

namespace Lab.Runtime.Images.Oci;

/// <summary>An image archive read from a tar stream (which may be gzip-compressed, as <c>docker load</c>
/// accepts). A tar can only be read in order and its index may come last, so every file is staged into the
/// content store's ingest area as it passes; the importer then commits the ones the archive's manifests
/// reference, and disposing discards the rest. Symlinks and hard links between archive files (legacy
/// <c>docker save</c> links repeated layers) are followed, within the archive only.</summary>
sealed class TarArchiveFiles : IArchiveFiles
{
    const int MaxLinkDepth = 16;

    readonly Dictionary<string, IStagedBlob> _files = [];
    readonly Dictionary<string, string> _links = [];
    readonly Dictionary<IStagedBlob, BlobInfo> _committed = [];

    TarArchiveFiles() { }

    public string Description => "image archive";

    public static async Task<TarArchiveFiles> ReadAsync(Stream stream, IContentStore store, CancellationToken ct)
    {
        var archive = new TarArchiveFiles();
        try
        {
            await using var tar = new TarReader(LayerCompressions.OpenArchive(stream), leaveOpen: false);
            while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
                await archive.AddAsync(entry, store, ct);
            return archive;
        }
        catch (InvalidDataException e)
        {
            archive.Dispose();
            throw new LabException(ErrorKind.InvalidParameter, $"the image archive is not a valid tar: {e.Message}", e);
        }
        catch (EndOfStreamException e)
        {
            // A file shorter than a tar header (a text file given to `docker load -i`) or a cut-off download.
            archive.Dispose();
            throw new LabException(ErrorKind.InvalidParameter, "the image archive is not a valid tar: it ends in the middle of an entry (unexpected EOF)", e);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    async Task AddAsync(TarEntry entry, IContentStore store, CancellationToken ct)
    {
        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                var path = ArchivePath.Normalize(entry.Name, Description);
                var staged = await store.StageAsync(entry.DataStream ?? Stream.Null, ct);
                if (_files.Remove(path, out var replaced)) replaced.Dispose(); // tar semantics: the last one wins
                _links.Remove(path);
                _files[path] = staged;
                break;
            case TarEntryType.SymbolicLink:
                var link = ArchivePath.Normalize(entry.Name, Description);
                _links[link] = ArchivePath.ResolveSymlink(link, entry.LinkName, Description);
                break;
            case TarEntryType.HardLink:
                _links[ArchivePath.Normalize(entry.Name, Description)] = ArchivePath.Normalize(entry.LinkName, Description);
                break;
            // Directories, pax/GNU metadata and devices carry nothing an image archive needs.
        }
    }

    public bool Contains(string path) => TryFind(path) is not null;

    public byte[] ReadDocument(string path)
    {
        using var stream = Find(path).OpenRead();
        return ContentStoreExtensions.ReadDocument(stream, $"{Description}: '{path}'");
    }

    public Task<BlobInfo> StoreAsync(string path, Digest? expected, CancellationToken ct)
    {
        var staged = Find(path);
        if (!_committed.TryGetValue(staged, out var info))
        {
            try
            {
                info = staged.Commit(expected);
            }
            catch (DigestMismatchException e)
            {
                throw new DigestMismatchException($"{Description}: '{path}'", e.Expected, e.Actual);
            }
            _committed[staged] = info;
        }
        else if (expected is { } want && want != info.Digest)
        {
            throw new DigestMismatchException($"{Description}: '{path}'", want, info.Digest);
        }
        return Task.FromResult(info);
    }

    IStagedBlob Find(string path) =>
        TryFind(path) ?? throw new LabException(ErrorKind.NotFound, $"{Description} has no file '{path}'");

    IStagedBlob? TryFind(string path)
    {
        var current = ArchivePath.Normalize(path, Description);
        for (var depth = 0; depth <= MaxLinkDepth; depth++)
        {
            if (_files.TryGetValue(current, out var staged)) return staged;
            if (!_links.TryGetValue(current, out var next)) return null;
            current = next;
        }
        throw new LabException(ErrorKind.InvalidParameter, $"{Description}: too many links from '{path}'");
    }

    public void Dispose()
    {
        foreach (var staged in _files.Values) staged.Dispose(); // committed ones are unaffected
    }
}
