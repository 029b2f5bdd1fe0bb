namespace Lab.Runtime.Images.Oci;

/// <summary>Makes a new image on top of another, as each step of <c>docker build</c>, <c>docker commit</c> and
/// <c>docker import</c> does: the parent's layers plus at most one new layer, a new container config and one more
/// history entry. The layer is stored as the uncompressed tar it is (its blob digest is then its diff id, so it is
/// unpacked and checked like any pulled layer); config and manifest are written into the content store. Nothing is
/// named: the caller gives the image a name, or registers it untagged, in a machine's namespace.</summary>
public static class ChildImages
{
    /// <param name="parent">The image to build on; null for <c>scratch</c> (no layers, this host's platform).</param>
    /// <param name="layer">An uncompressed layer tar read to its end; null for a step that only changes the config
    /// (its history entry is then marked empty_layer, as Docker marks CMD, ENV, ...).</param>
    /// <param name="content">Where the new blobs go: the store's content, unless the caller records them (<see
    /// cref="ContentWrites"/>).</param>
    public static async Task<LocalImage> CreateChildAsync(this ImageStore store, LocalImage? parent, Stream? layer,
        ContainerConfig config, HistoryEntry history, CancellationToken ct = default, IContentStore? content = null)
    {
        content ??= store.Content;
        var created = history.Created ?? DateTimeOffset.UtcNow;
        var layers = parent?.Manifest.Layers.ToList() ?? [];
        var diffIds = parent?.Config.RootFs.DiffIds.ToList() ?? [];
        if (layer is not null)
        {
            var blob = await content.WriteAsync(layer, ct: ct);
            layers.Add(new Descriptor { MediaType = MediaTypes.OciLayer, Digest = blob.Digest, Size = blob.Size });
            diffIds.Add(blob.Digest);
        }
        var step = history with { Created = created, EmptyLayer = layer is null ? true : null };
        var imageConfig = new ImageConfig
        {
            Created = created,
            Author = history.Author,
            Architecture = parent?.Config.Architecture ?? HostArchitecture,
            Os = parent?.Config.Os ?? "linux",
            Variant = parent?.Config.Variant,
            OsVersion = parent?.Config.OsVersion,
            Config = config,
            RootFs = new RootFs { DiffIds = diffIds },
            History = [.. parent?.Config.History ?? [], step],
        };
        var configDescriptor = await content.WriteJsonAsync(imageConfig, MediaTypes.OciConfig, ct);
        var manifest = new ImageManifest { Config = configDescriptor, Layers = layers };
        var target = await content.WriteJsonAsync(manifest, MediaTypes.OciManifest, ct);
        return new LocalImage(configDescriptor.Digest, target, manifest, imageConfig, []);
    }

    /// <summary>OCI's name for this host's architecture (what a scratch image is made for).</summary>
    static string HostArchitecture => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        _ => "amd64",
    };
}
