namespace Lab.Runtime.Images.Oci;

/// <summary>Imports the images of an OCI image layout (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/</c>) —
/// also what <c>docker save</c> writes since Docker 25. Each blob is stored verified against its digest, children
/// before parents, so a manifest in the store always has its config and layers beside it. An index may lack the
/// manifests of other platforms (a multi-platform image saved for one); a manifest may lack nothing.</summary>
sealed class OciLayoutImporter(IArchiveFiles files, IContentStore store)
{
    public async Task<IReadOnlyList<ArchiveImage>> ImportAsync(CancellationToken ct)
    {
        var header = OciJson.Deserialize<OciLayoutHeader>(files.ReadDocument(OciLayout.HeaderFile),
            $"{files.Description}: {OciLayout.HeaderFile}");
        if (header.ImageLayoutVersion != OciLayout.Version)
            throw new LabException(ErrorKind.InvalidParameter,
                $"{files.Description}: unsupported OCI layout version '{header.ImageLayoutVersion}'");
        var index = OciJson.Deserialize<ImageIndex>(files.ReadDocument(OciLayout.IndexFile),
            $"{files.Description}: {OciLayout.IndexFile}");
        var dockerTags = DockerTagsByConfigPath();

        var images = new List<ArchiveImage>();
        foreach (var entries in index.Manifests.GroupBy(d => d.Digest))
        {
            var target = entries.First() with { Annotations = null };
            await ImportAsync(target, required: true, ct);
            var names = entries.Select(FullName).OfType<Reference>().ToList();
            if (names.Count == 0 && DockerTagsOf(target, dockerTags) is { } tags) names.AddRange(tags);
            var refName = names.Count == 0 ? entries.Select(e => e.Annotation(Annotations.RefName)).FirstOrDefault(n => n is not null) : null;
            images.Add(new ArchiveImage(target, names.Distinct().ToList(), refName));
        }
        return images;
    }

    /// <summary>Stores the manifest or index <paramref name="descriptor"/> and what it references; false when
    /// the archive lacks an optional one that the store does not hold either.</summary>
    async Task<bool> ImportAsync(Descriptor descriptor, bool required, CancellationToken ct)
    {
        var path = OciLayout.BlobPath(descriptor.Digest);
        if (!files.Contains(path)) return Absent(descriptor, required);

        var json = files.ReadDocument(path);
        if (MediaTypes.IsIndex(descriptor.MediaType)
            || !MediaTypes.IsManifest(descriptor.MediaType) && ImageReader.LooksLikeIndex(json))
        {
            var index = OciJson.Deserialize<ImageIndex>(json, $"image index {descriptor.Digest}");
            var any = false;
            foreach (var child in index.Manifests)
                any |= await ImportAsync(child, required: false, ct);
            if (!any && index.Manifests.Count > 0)
                throw new LabException(ErrorKind.NotFound,
                    $"{files.Description} holds none of the manifests of index {descriptor.Digest}");
        }
        else
        {
            var manifest = OciJson.Deserialize<ImageManifest>(json, $"manifest {descriptor.Digest}");
            await StoreAsync(manifest.Config, required: true, ct);
            foreach (var layer in manifest.Layers)
                // A foreign layer (with URLs) may be left out; whoever needs it fetches it from there.
                await StoreAsync(layer, required: layer.Urls is not { Count: > 0 }, ct);
        }
        await StoreAsync(descriptor, required: true, ct);
        return true;
    }

    async Task StoreAsync(Descriptor descriptor, bool required, CancellationToken ct)
    {
        var path = OciLayout.BlobPath(descriptor.Digest);
        if (!files.Contains(path))
        {
            Absent(descriptor, required);
            return;
        }
        var info = await files.StoreAsync(path, descriptor.Digest, ct);
        if (info.Size != descriptor.Size)
            throw new LabException(ErrorKind.InvalidParameter,
                $"{files.Description}: {descriptor.Digest} is {info.Size} bytes, its descriptor says {descriptor.Size}");
    }

    /// <summary>A blob the archive lacks is fine when the store has it already or it is optional.</summary>
    bool Absent(Descriptor descriptor, bool required)
    {
        if (store.Exists(descriptor.Digest)) return true;
        if (!required) return false;
        throw new LabException(ErrorKind.NotFound, $"{files.Description} lacks {descriptor.MediaType} {descriptor.Digest}");
    }

    /// <summary>containerd's (and Docker's) full name annotation, else OCI's ref.name when it is more than a bare
    /// tag.</summary>
    static Reference? FullName(Descriptor entry)
    {
        if (entry.Annotation(Annotations.ContainerdImageName) is { } full && Reference.TryParse(full, out var name))
            return name;
        if (entry.Annotation(Annotations.RefName) is { } refName && refName.IndexOfAny(['/', ':']) >= 0
            && Reference.TryParse(refName, out var parsed))
            return parsed;
        return null;
    }

    /// <summary>Docker 25+ archives are OCI layouts with a manifest.json too; its RepoTags name images whose
    /// index.json entry carries no name.</summary>
    Dictionary<string, IReadOnlyList<string>> DockerTagsByConfigPath()
    {
        if (!files.Contains(DockerArchive.ManifestFile)) return [];
        var items = OciJson.Deserialize<List<DockerArchiveItem>>(files.ReadDocument(DockerArchive.ManifestFile),
            $"{files.Description}: {DockerArchive.ManifestFile}");
        return items.Where(i => i.RepoTags is { Count: > 0 })
            .GroupBy(i => i.Config)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.SelectMany(i => i.RepoTags!).ToList());
    }

    IEnumerable<Reference>? DockerTagsOf(Descriptor target, Dictionary<string, IReadOnlyList<string>> tagsByConfig)
    {
        if (tagsByConfig.Count == 0 || !MediaTypes.IsManifest(target.MediaType)) return null;
        var manifest = new ImageReader(store).ReadManifest(target);
        return tagsByConfig.TryGetValue(OciLayout.BlobPath(manifest.Config.Digest), out var tags)
            ? tags.Select(Reference.Parse)
            : null;
    }
}
