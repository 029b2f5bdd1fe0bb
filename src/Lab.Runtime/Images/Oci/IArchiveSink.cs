namespace Lab.Runtime.Images.Oci;

/// <summary>Where an export writes its files: a directory or a tar stream. Each path is written once.</summary>
interface IArchiveSink : IAsyncDisposable
{
    bool Has(string path);

    Task AddFileAsync(string path, Stream content, CancellationToken ct);
}
