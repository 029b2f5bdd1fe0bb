using System.Text;
using System.Text.RegularExpressions;
using Lab.Runtime.Native;

namespace Lab.Runtime.Images;

/// <summary>A layer committed to the store: its tar digest, the tar's size, and the extracted directory.</summary>
public sealed record StoredLayer(string Digest, long Size, string Path);

/// <summary>The on-disk image store, laid out like containerd's content store:
/// <code>
/// blobs/sha256/&lt;hex&gt;    layer tars, named by their digest (what a registry serves)
/// layers/sha256/&lt;hex&gt;/  the same layer extracted, read-only, the overlay lowerdir every machine shares
/// images/&lt;name&gt;.json    ImageRecord: which recipe hash produced which layer
/// ingest/               blobs being written; renamed into blobs/ once complete and fsynced
/// tmp/&lt;name&gt;-*/        scratch dirs of running builds
/// logs/ locks/ cache/   build logs, per-image build locks, per-image download caches
/// </code></summary>
public sealed partial class LayerStore(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string LogsDir => Path.Combine(Root, "logs");
    string IngestDir => Path.Combine(Root, "ingest");
    string ScratchRoot => Path.Combine(Root, "tmp");

    public string BlobPath(string digest) => Path.Combine(Root, "blobs", "sha256", Hex(digest));
    public string LayerPath(string digest) => Path.Combine(Root, "layers", "sha256", Hex(digest));
    public string RecordPath(string image) => Path.Combine(Root, "images", image + ".json");
    public string LockPath(string image) => Path.Combine(Root, "locks", image + ".lock");
    public string CacheDir(string image) => Path.Combine(Root, "cache", image);

    /// <summary>A fresh scratch directory for one build of <paramref name="image"/>.</summary>
    public string CreateScratchDir(string image) =>
        Directory.CreateDirectory(Path.Combine(ScratchRoot, $"{image}-{Guid.NewGuid():N}")).FullName;

    /// <summary>Removes scratch dirs left by builds of <paramref name="image"/> that died. Only call while
    /// holding that image's lock, so no live build's directory is touched.</summary>
    public void RemoveStaleScratchDirs(string image)
    {
        if (!Directory.Exists(ScratchRoot)) return;
        foreach (var dir in Directory.EnumerateDirectories(ScratchRoot, image + "-*"))
            ScratchDir.Delete(dir);
    }

    /// <summary>Makes <paramref name="rootfsDir"/> a layer: writes its tar into blobs/ (hashing as it goes),
    /// then moves the directory itself to layers/sha256/&lt;hex&gt;. The directory must be on the store's
    /// filesystem (a scratch dir) so the move is a rename.</summary>
    public async Task<StoredLayer> CommitAsync(string rootfsDir, CancellationToken ct = default)
    {
        var (digest, size) = await WriteBlobAsync(rootfsDir, ct);

        var layerPath = LayerPath(digest);
        if (Directory.Exists(layerPath))
        {
            ScratchDir.Delete(rootfsDir); // identical bytes were committed before
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(layerPath)!);
            MakeRootOwned(rootfsDir);
            Directory.Move(rootfsDir, layerPath);
        }
        DirectorySync.Filesystem(layerPath); // the layer's files are on disk before any record points at them
        return new StoredLayer(digest, size, layerPath);
    }

    async Task<(string Digest, long Size)> WriteBlobAsync(string rootfsDir, CancellationToken ct)
    {
        Directory.CreateDirectory(IngestDir);
        var ingest = Path.Combine(IngestDir, Guid.NewGuid().ToString("N"));
        try
        {
            string digest;
            long size;
            await using (var file = new FileStream(ingest, FileMode.CreateNew, FileAccess.Write, FileShare.None,
                             bufferSize: 1 << 16, useAsync: true))
            await using (var digesting = new DigestingStream(file))
            {
                await TarLayerWriter.WriteAsync(rootfsDir, digesting, ct);
                await digesting.FlushAsync(ct);
                file.Flush(flushToDisk: true);
                (digest, size) = (digesting.Digest, digesting.BytesWritten);
            }

            var blob = BlobPath(digest);
            Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
            if (!File.Exists(blob)) File.Move(ingest, blob);
            return (digest, size);
        }
        finally
        {
            File.Delete(ingest); // gone already when moved
        }
    }

    /// <summary>Layers are shared by every machine: their root is 0755 and owned by root whoever built them.</summary>
    static void MakeRootOwned(string dir) => PathCalls.SetOwnerAndMode(dir, uid: 0, gid: 0, mode: 0b111_101_101);

    static string Hex(string digest) =>
        DigestPattern().Match(digest) is { Success: true } m
            ? m.Groups[1].Value
            : throw new LabException(ErrorKind.InvalidParameter, $"'{digest}' is not a sha256 digest");

    [GeneratedRegex("^sha256:([0-9a-f]{64})$")]
    private static partial Regex DigestPattern();
}
