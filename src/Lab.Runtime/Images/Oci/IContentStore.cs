namespace Lab.Runtime.Images.Oci;

/// <summary>Blobs addressed by their sha256 digest, containerd-style: content is written to an ingest area,
/// made durable, checked against the digest the writer expected, and only then becomes visible under that
/// digest. A stored blob never changes.</summary>
public interface IContentStore
{
    bool Exists(Digest digest);

    /// <summary>The blob's size in bytes, or null when the store does not hold it.</summary>
    long? SizeOf(Digest digest);

    /// <summary>Opens the blob for reading; NotFound when the store does not hold it.</summary>
    Stream OpenRead(Digest digest);

    /// <summary>Writes <paramref name="content"/> into the ingest area without publishing it: the caller learns
    /// its digest and size and then commits or discards it (an archive import stages every file before it knows
    /// which ones its manifests reference).</summary>
    Task<IStagedBlob> StageAsync(Stream content, CancellationToken ct = default);

    /// <summary>Stages and commits in one go. With <paramref name="expected"/>, content whose digest differs is
    /// refused with a <see cref="DigestMismatchException"/> and nothing is stored.</summary>
    Task<BlobInfo> WriteAsync(Stream content, Digest? expected = null, CancellationToken ct = default);

    /// <summary>Removes the blob; false when there was none.</summary>
    bool Delete(Digest digest);

    IEnumerable<Digest> List();
}

/// <summary>A stored blob: its digest and size.</summary>
public readonly record struct BlobInfo(Digest Digest, long Size);

/// <summary>Content written to the ingest area, durable but not yet visible. Dispose discards it unless it was
/// committed.</summary>
public interface IStagedBlob : IDisposable
{
    Digest Digest { get; }
    long Size { get; }

    /// <summary>Reads the staged bytes (e.g. to parse a manifest before deciding to keep it).</summary>
    Stream OpenRead();

    /// <summary>Publishes the blob under its digest. With <paramref name="expected"/>, a different digest is
    /// refused with a <see cref="DigestMismatchException"/> and the staged bytes are discarded. Committing
    /// content the store already holds is harmless.</summary>
    BlobInfo Commit(Digest? expected = null);
}
