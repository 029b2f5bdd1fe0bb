namespace Lab.Runtime.Images.Oci;

/// <summary>An image archive unpacked in a directory (an OCI image layout, or an extracted docker save).
/// Paths stay inside it: ".." and absolute paths are refused, and so is any symlink on the way.</summary>
sealed class DirectoryArchiveFiles(string root, IContentStore store) : IArchiveFiles
{
    readonly string _root = Path.GetFullPath(root);

    public string Description => $"image directory '{_root}'";

    public bool Contains(string path) => File.Exists(Resolve(path));

    public byte[] ReadDocument(string path)
    {
        using var file = Open(path);
        return ContentStoreExtensions.ReadDocument(file, $"{Description}: '{path}'");
    }

    public async Task<BlobInfo> StoreAsync(string path, Digest? expected, CancellationToken ct)
    {
        await using var file = Open(path);
        try
        {
            return await store.WriteAsync(file, expected, ct);
        }
        catch (DigestMismatchException e)
        {
            throw new DigestMismatchException($"{Description}: '{path}'", e.Expected, e.Actual);
        }
    }

    FileStream Open(string path)
    {
        var full = Resolve(path);
        if (!File.Exists(full))
            throw new LabException(ErrorKind.NotFound, $"{Description} has no file '{path}'");
        return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
    }

    string Resolve(string path)
    {
        var relative = ArchivePath.Normalize(path, Description);
        var full = _root;
        foreach (var part in relative.Split('/'))
        {
            full = Path.Combine(full, part);
            if (File.Exists(full) || Directory.Exists(full))
                if (new FileInfo(full).LinkTarget is not null)
                    throw new LabException(ErrorKind.InvalidParameter, $"{Description}: '{path}' goes through a symlink");
        }
        return full;
    }

    public void Dispose() { }
}
