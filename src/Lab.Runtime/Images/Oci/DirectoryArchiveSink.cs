namespace Lab.Runtime.Images.Oci;

/// <summary>Writes an export into a directory (an OCI image layout on disk).</summary>
sealed class DirectoryArchiveSink(string root) : IArchiveSink
{
    readonly HashSet<string> _written = [];

    public bool Has(string path) => _written.Contains(path);

    public async Task AddFileAsync(string path, Stream content, CancellationToken ct)
    {
        var full = Path.Combine(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await using (var file = new FileStream(full, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            await content.CopyToAsync(file, ct);
        _written.Add(path);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
