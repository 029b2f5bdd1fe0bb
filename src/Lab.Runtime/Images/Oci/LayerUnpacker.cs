using Lab.Runtime.Archives;
using Lab.Runtime.Native;

namespace Lab.Runtime.Images.Oci;

/// <summary>Extracts layer blobs (tar, or gzip-compressed tar) of the content store into shared directories
/// named by diff id, <c>layers/sha256/&lt;hex&gt;</c> — the same place <see cref="LayerStore"/> puts recipe
/// layers, whose tar is uncompressed so their blob digest is their diff id. Each layer is extracted once; every
/// machine using it stacks the same directory.
///
/// An extraction happens in <c>ingest/unpack-&lt;blob hex&gt;-&lt;guid&gt;</c>, is synced to disk, and is renamed
/// into place only when complete and (if the caller knows the image config's diff id) verified, so a directory
/// under layers/ is always whole. A per-blob lock keeps two processes from extracting the same blob at once;
/// the holder also clears what a crashed extraction of that blob left behind.</summary>
public sealed class LayerUnpacker(IContentStore content, string storeRoot)
{
    const string ScratchPrefix = "unpack-";
    const uint LayerRootMode = 0b111_101_101;

    readonly string _root = Path.GetFullPath(storeRoot);

    public string LayerPath(Digest diffId) => Path.Combine(_root, "layers", Digest.Algorithm, diffId.Hex);

    public bool IsUnpacked(Digest diffId) => Directory.Exists(LayerPath(diffId));

    /// <summary>The directory of layer blob <paramref name="blob"/>, extracting it unless the layer with
    /// <paramref name="expectedDiffId"/> is already there. With an expected diff id, a blob that does not
    /// uncompress to it is refused (<see cref="DigestMismatchException"/>) and nothing is kept.</summary>
    public async Task<UnpackedLayer> UnpackAsync(Digest blob, Digest? expectedDiffId = null,
        CancellationToken ct = default)
    {
        if (expectedDiffId is { } known && IsUnpacked(known)) return new UnpackedLayer(known, LayerPath(known));
        if (!content.Exists(blob))
            throw new LabException(ErrorKind.NotFound, $"layer blob {blob} not found in the content store");

        using var _ = await StoreLock.AcquireAsync(
            Path.Combine(_root, "locks", $"{ScratchPrefix}{blob.Hex}.lock"), () => { }, ct);
        if (expectedDiffId is { } done && IsUnpacked(done)) return new UnpackedLayer(done, LayerPath(done));
        RemoveStaleScratch(blob);

        var scratch = Path.Combine(_root, "ingest", $"{ScratchPrefix}{blob.Hex}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(scratch);
            var diffId = await Task.Run(() => Extract(blob, scratch, ct), ct);
            if (expectedDiffId is { } expected && expected != diffId)
                throw new DigestMismatchException($"layer {blob} does not match its image config", expected, diffId);
            return Publish(scratch, diffId);
        }
        finally
        {
            ScratchDir.Delete(scratch); // no-op once moved
        }
    }

    Digest Extract(Digest blob, string dir, CancellationToken ct)
    {
        var what = $"layer {blob}";
        using var tar = new DigestingReadStream(LayerCompressions.OpenTar(content.OpenRead(blob), what));
        var extractor = new LayerExtractor(dir, what);
        using (var reader = new XattrTarReader(tar))
        {
            try
            {
                while (reader.GetNextEntry() is { } entry)
                {
                    ct.ThrowIfCancellationRequested();
                    extractor.Apply(entry, reader.Xattrs);
                }
            }
            catch (InvalidDataException e)
            {
                throw new LabException(ErrorKind.InvalidParameter, $"{what} is not a valid tar archive: {e.Message}", e);
            }
        }
        tar.DrainToEnd();
        extractor.Finish();
        return tar.Digest;
    }

    UnpackedLayer Publish(string scratch, Digest diffId)
    {
        var target = LayerPath(diffId);
        if (Directory.Exists(target)) return new UnpackedLayer(diffId, target); // another blob, same contents
        PathCalls.SetOwnerAndMode(scratch, uid: 0, gid: 0, LayerRootMode);
        DirectorySync.Filesystem(scratch);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        try
        {
            Directory.Move(scratch, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            // a recipe build committed the same layer meanwhile
        }
        DirectorySync.Directory(Path.GetDirectoryName(target)!);
        return new UnpackedLayer(diffId, target);
    }

    void RemoveStaleScratch(Digest blob)
    {
        var ingest = Path.Combine(_root, "ingest");
        if (!Directory.Exists(ingest)) return;
        foreach (var dir in Directory.EnumerateDirectories(ingest, $"{ScratchPrefix}{blob.Hex}-*"))
            ScratchDir.Delete(dir);
    }
}
