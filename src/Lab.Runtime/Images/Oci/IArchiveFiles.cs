namespace Lab.Runtime.Images.Oci;

/// <summary>The files of an image archive being imported, by path relative to its root, whether it is a
/// directory or a tar that was read through once.</summary>
interface IArchiveFiles : IDisposable
{
    string Description { get; }

    bool Contains(string path);

    /// <summary>A small JSON file (manifest, config, index.json), read whole.</summary>
    byte[] ReadDocument(string path);

    /// <summary>Puts the file into the content store, verified against <paramref name="expected"/> if given.</summary>
    Task<BlobInfo> StoreAsync(string path, Digest? expected, CancellationToken ct);
}
