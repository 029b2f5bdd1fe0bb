using Lab.Runtime.Native;
using System.Text.RegularExpressions;

namespace Lab.Runtime.Images.Oci;

/// <summary>The content store on disk, in the same layout as <see cref="LayerStore"/> (whose recipe layer tars
/// are therefore blobs here too):
/// <code>
/// blobs/sha256/&lt;hex&gt;   read-only files named by their digest
/// ingest/oci-&lt;guid&gt;   content being written; renamed into blobs/ once fsynced and verified
/// </code>
/// Readers never see a partial blob: a blob appears by rename(2) of a complete, fsynced file.</summary>
public sealed partial class FileContentStore : IContentStore
{
    const string IngestPrefix = "oci-";
    const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public FileContentStore(string root)
    {
        Root = Path.GetFullPath(root);
        BlobsDir = Path.Combine(Root, "blobs", Digest.Algorithm);
        IngestDir = Path.Combine(Root, "ingest");
    }

    public string Root { get; }
    string BlobsDir { get; }
    string IngestDir { get; }

    public string BlobPath(Digest digest) => Path.Combine(BlobsDir, digest.Hex);

    public bool Exists(Digest digest) => File.Exists(BlobPath(digest));

    public long? SizeOf(Digest digest)
    {
        var file = new FileInfo(BlobPath(digest));
        return file.Exists ? file.Length : null;
    }

    public Stream OpenRead(Digest digest)
    {
        try
        {
            return new FileStream(BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read,
                bufferSize: 1 << 16, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new LabException(ErrorKind.NotFound, $"blob {digest} not found in the content store", e);
        }
    }

    public async Task<IStagedBlob> StageAsync(Stream content, CancellationToken ct = default)
    {
        Directory.CreateDirectory(IngestDir);
        var path = Path.Combine(IngestDir, IngestPrefix + Guid.NewGuid().ToString("N"));
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                bufferSize: 1 << 16, useAsync: true);
            await using var digesting = new DigestingStream(file);
            await content.CopyToAsync(digesting, ct);
            await digesting.FlushAsync(ct);
            file.Flush(flushToDisk: true);
            return new StagedFile(this, path, Digest.Parse(digesting.Digest), digesting.BytesWritten);
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    public async Task<BlobInfo> WriteAsync(Stream content, Digest? expected = null, CancellationToken ct = default)
    {
        using var staged = await StageAsync(content, ct);
        return staged.Commit(expected);
    }

    public bool Delete(Digest digest)
    {
        var path = BlobPath(digest);
        if (!File.Exists(path)) return false;
        File.Delete(path);
        return true;
    }

    public IEnumerable<Digest> List() =>
        Directory.Exists(BlobsDir)
            ? Directory.EnumerateFiles(BlobsDir)
                .Select(Path.GetFileName)
                .Where(name => name is not null && Hex().IsMatch(name))
                .Select(name => Digest.FromHex(name!))
            : [];

    BlobInfo Publish(string stagedPath, Digest digest, long size)
    {
        var target = BlobPath(digest);
        Directory.CreateDirectory(BlobsDir);
        File.SetUnixFileMode(stagedPath, ReadOnly);
        try
        {
            File.Move(stagedPath, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(stagedPath); // same digest, same bytes: a concurrent or earlier writer got there first
            return new BlobInfo(digest, size);
        }
        DirectorySync.Directory(BlobsDir); // the rename itself survives a crash
        return new BlobInfo(digest, size);
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Hex();

    sealed class StagedFile(FileContentStore store, string path, Digest digest, long size) : IStagedBlob
    {
        bool _done;

        public Digest Digest => digest;
        public long Size => size;

        public Stream OpenRead()
        {
            ObjectDisposedException.ThrowIf(_done, this);
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        }

        public BlobInfo Commit(Digest? expected = null)
        {
            ObjectDisposedException.ThrowIf(_done, this);
            _done = true;
            if (expected is { } want && want != digest)
            {
                File.Delete(path);
                throw new DigestMismatchException("refusing to store content", want, digest);
            }
            return store.Publish(path, digest, size);
        }

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            File.Delete(path);
        }
    }
}
