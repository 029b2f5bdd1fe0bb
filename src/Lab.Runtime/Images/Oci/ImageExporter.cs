namespace Lab.Runtime.Images.Oci;

/// <summary>Writes images of a content store as archives: an OCI image layout (directory or tar), or a
/// <c>docker save</c> tarball. The docker format is written as Docker 25+ writes it — an OCI layout whose tar
/// also has <c>manifest.json</c> and the legacy <c>repositories</c> — so <c>docker load</c> of any version,
/// skopeo, containerd and this store's importer all read it. Shared blobs are written once.</summary>
public sealed class ImageExporter(IContentStore store)
{
    readonly ImageReader _reader = new(store);

    public async Task WriteOciLayoutAsync(IReadOnlyList<ArchiveImage> images, string directory, CancellationToken ct = default)
    {
        await using var sink = new DirectoryArchiveSink(Directory.CreateDirectory(directory).FullName);
        await WriteLayoutAsync(sink, Normalized(images), ct);
    }

    public async Task WriteOciArchiveAsync(IReadOnlyList<ArchiveImage> images, Stream destination, CancellationToken ct = default)
    {
        await using var sink = new TarArchiveSink(destination);
        await WriteLayoutAsync(sink, Normalized(images), ct);
    }

    /// <summary>A <c>docker save</c> tarball. Each image must resolve to one manifest for this host's platform
    /// (manifest.json has no room for an index); only tagged names go into RepoTags, as in Docker.</summary>
    public async Task WriteDockerArchiveAsync(IReadOnlyList<ArchiveImage> images, Stream destination, CancellationToken ct = default)
    {
        var resolved = Normalized(images).Select(i => i with { Target = _reader.ResolveManifest(i.Target) }).ToList();
        await using var sink = new TarArchiveSink(destination);
        await WriteLayoutAsync(sink, resolved, ct);

        var items = new List<DockerArchiveItem>();
        var repositories = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var image in resolved)
        {
            var manifest = _reader.ReadManifest(image.Target);
            var tagged = image.Names.Where(n => n.Tag is not null && n.Digest is null).ToList();
            items.Add(new DockerArchiveItem
            {
                Config = OciLayout.BlobPath(manifest.Config.Digest),
                RepoTags = tagged.Select(n => n.FamiliarString).ToList(),
                Layers = manifest.Layers.Select(l => OciLayout.BlobPath(l.Digest)).ToList(),
            });
            if (manifest.Layers.Count == 0) continue;
            foreach (var name in tagged)
            {
                if (!repositories.TryGetValue(name.FamiliarName, out var tags))
                    repositories[name.FamiliarName] = tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
                tags[name.Tag!] = manifest.Layers[^1].Digest.Hex;
            }
        }
        await AddDocumentAsync(sink, DockerArchive.ManifestFile, items, ct);
        if (repositories.Count > 0) await AddDocumentAsync(sink, DockerArchive.RepositoriesFile, repositories, ct);
    }

    /// <summary>A name without tag or digest stands for <c>:latest</c>, as everywhere in Docker.</summary>
    static List<ArchiveImage> Normalized(IReadOnlyList<ArchiveImage> images) =>
        images.Select(i => i with { Names = i.Names.Select(n => n.WithDefaultTag()).Distinct().ToList() }).ToList();

    async Task WriteLayoutAsync(IArchiveSink sink, IReadOnlyList<ArchiveImage> images, CancellationToken ct)
    {
        await AddDocumentAsync(sink, OciLayout.HeaderFile, new OciLayoutHeader { ImageLayoutVersion = OciLayout.Version }, ct);
        foreach (var blob in images.SelectMany(i => _reader.Closure(i.Target)))
        {
            var path = OciLayout.BlobPath(blob.Digest);
            if (sink.Has(path)) continue;
            await using var content = store.OpenRead(blob.Digest);
            await sink.AddFileAsync(path, content, ct);
        }
        await AddDocumentAsync(sink, OciLayout.IndexFile, new ImageIndex { Manifests = IndexEntries(images).ToList() }, ct);
    }

    /// <summary>One index.json entry per name (containerd's and Docker's full-name annotation plus OCI's
    /// ref.name with the tag); one without annotations for an image saved by id.</summary>
    static IEnumerable<Descriptor> IndexEntries(IReadOnlyList<ArchiveImage> images)
    {
        foreach (var image in images)
        {
            var target = image.Target with { Annotations = null };
            if (image.Names.Count == 0) yield return target;
            foreach (var name in image.Names)
            {
                var annotations = new Dictionary<string, string> { [Annotations.ContainerdImageName] = name.ToString() };
                if (name.Tag is { } tag) annotations[Annotations.RefName] = tag;
                yield return target with { Annotations = annotations };
            }
        }
    }

    static async Task AddDocumentAsync<T>(IArchiveSink sink, string path, T document, CancellationToken ct)
    {
        using var content = new MemoryStream(OciJson.Serialize(document));
        await sink.AddFileAsync(path, content, ct);
    }
}
