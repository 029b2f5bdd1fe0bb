namespace Lab.Runtime.Images.Oci;

/// <summary>Imports a classic <c>docker save</c> archive (manifest.json, no oci-layout): each entry's config
/// and layer files are stored, then an OCI manifest is made for them, since a docker-archive carries none. The
/// layer media types come from the files' own compression. An uncompressed layer must hash to the diff id its
/// config lists; a compressed one is checked when it is unpacked.</summary>
sealed class DockerArchiveImporter(IArchiveFiles files, IContentStore store)
{
    public async Task<IReadOnlyList<ArchiveImage>> ImportAsync(CancellationToken ct)
    {
        var items = OciJson.Deserialize<List<DockerArchiveItem>>(files.ReadDocument(DockerArchive.ManifestFile),
            $"{files.Description}: {DockerArchive.ManifestFile}");
        var images = new List<ArchiveImage>();
        foreach (var item in items)
            images.Add(await ImportAsync(item, ct));
        return images;
    }

    async Task<ArchiveImage> ImportAsync(DockerArchiveItem item, CancellationToken ct)
    {
        var names = (item.RepoTags ?? []).Select(Reference.Parse).ToList(); // before storing anything
        var configInfo = await files.StoreAsync(item.Config, ArchivePath.AnnouncedDigest(item.Config), ct);
        var config = OciJson.Deserialize<ImageConfig>(store.ReadAllBytes(configInfo.Digest), $"image config '{item.Config}'");
        if (config.RootFs.DiffIds.Count != item.Layers.Count)
            throw new LabException(ErrorKind.InvalidParameter,
                $"{files.Description}: image config '{item.Config}' lists {config.RootFs.DiffIds.Count} layers, manifest.json {item.Layers.Count}");

        var layers = new List<Descriptor>();
        for (var i = 0; i < item.Layers.Count; i++)
            layers.Add(await ImportLayerAsync(item.Layers[i], config.RootFs.DiffIds[i], ct));

        var manifest = new ImageManifest
        {
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configInfo.Digest, Size = configInfo.Size },
            Layers = layers,
        };
        var target = await store.WriteJsonAsync(manifest, MediaTypes.OciManifest, ct);
        return new ArchiveImage(target, names);
    }

    async Task<Descriptor> ImportLayerAsync(string path, Digest diffId, CancellationToken ct)
    {
        var info = await files.StoreAsync(path, ArchivePath.AnnouncedDigest(path), ct);
        LayerCompression compression;
        await using (var blob = store.OpenRead(info.Digest))
            compression = LayerCompressions.Detect(blob);
        if (compression == LayerCompression.None && info.Digest != diffId)
            throw new DigestMismatchException($"{files.Description}: layer '{path}' against its image config", diffId, info.Digest);
        return new Descriptor { MediaType = MediaTypes.OciLayerFor(compression), Digest = info.Digest, Size = info.Size };
    }
}
