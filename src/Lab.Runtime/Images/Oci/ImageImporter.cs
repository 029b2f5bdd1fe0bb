namespace Lab.Runtime.Images.Oci;

/// <summary>Loads images from archives into a content store: OCI image layouts (directory or tar) and
/// docker-archive tarballs (<c>docker save</c>, classic or Docker 25+), told apart by their files, several
/// images per archive. Names are returned, not applied: which namespace they go to is the caller's business
/// (<see cref="TagStore"/>). Nothing of a failed import becomes visible except blobs already verified.</summary>
public sealed class ImageImporter(IContentStore store)
{
    /// <summary>Imports a tar (optionally gzip-compressed) read from <paramref name="archive"/> to its end.</summary>
    public async Task<IReadOnlyList<ArchiveImage>> ImportTarAsync(Stream archive, CancellationToken ct = default)
    {
        using var files = await TarArchiveFiles.ReadAsync(archive, store, ct);
        return await ImportAsync(files, ct);
    }

    /// <summary>Imports an OCI image layout directory, or a docker save archive extracted into one.</summary>
    public Task<IReadOnlyList<ArchiveImage>> ImportDirectoryAsync(string directory, CancellationToken ct = default)
    {
        if (!Directory.Exists(directory))
            throw new LabException(ErrorKind.NotFound, $"image directory '{directory}' does not exist");
        return ImportAsync(new DirectoryArchiveFiles(directory, store), ct);
    }

    async Task<IReadOnlyList<ArchiveImage>> ImportAsync(IArchiveFiles files, CancellationToken ct)
    {
        if (files.Contains(OciLayout.HeaderFile))
            return await new OciLayoutImporter(files, store).ImportAsync(ct);
        if (files.Contains(DockerArchive.ManifestFile))
            return await new DockerArchiveImporter(files, store).ImportAsync(ct);
        if (files.Contains(DockerArchive.RepositoriesFile))
            throw new LabException(ErrorKind.InvalidParameter,
                $"{files.Description} is in the pre-2016 docker save format (repositories without manifest.json), which is not supported");
        throw new LabException(ErrorKind.InvalidParameter,
            $"{files.Description} is neither an OCI image layout ({OciLayout.HeaderFile}, {OciLayout.IndexFile}) nor a docker save archive ({DockerArchive.ManifestFile})");
    }
}
