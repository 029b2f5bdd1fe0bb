namespace Lab.Runtime.Images.Oci;

/// <summary>Makes a recipe-built base image (<see cref="RecipeImage"/>: one uncompressed layer tar already among
/// the store's blobs, and already extracted under layers/ by its digest, which is its diff id) into a proper OCI
/// image — an image config with platform, container defaults and history, and a manifest — so it can be tagged
/// (<c>busybox</c>, <c>debian:bookworm</c>), run, pushed and saved like any pulled image. The same build and
/// config always give the same manifest digest.</summary>
public static class RecipeImageConverter
{
    /// <summary>Builds the recipe if needed, then writes its config and manifest into
    /// <paramref name="store"/>, which must be the content store over the recipe's image store.</summary>
    public static async Task<Descriptor> ToOciImageAsync(RecipeImage recipe, ContainerConfig config, IContentStore store,
        IProgress<string>? progress = null, CancellationToken ct = default)
    {
        await recipe.EnsureBuiltAsync(progress, ct);
        var record = ImageRecord.TryLoad(recipe.Store.RecordPath(recipe.Name))
            ?? throw new LabException(ErrorKind.Internal, $"image '{recipe.Name}' was built but has no record");
        return await FromRecordAsync(record, config, store, ct);
    }

    public static async Task<Descriptor> FromRecordAsync(ImageRecord record, ContainerConfig config, IContentStore store,
        CancellationToken ct = default)
    {
        var layer = Digest.Parse(record.Layer);
        var size = store.SizeOf(layer)
            ?? throw new LabException(ErrorKind.NotFound, $"layer {layer} of image '{record.Name}' is not in the content store");

        var imageConfig = new ImageConfig
        {
            Created = record.Created,
            Architecture = Platform.Host.Architecture,
            Os = Platform.Host.Os,
            Config = config,
            RootFs = new RootFs { DiffIds = [layer] },
            History =
            [
                new HistoryEntry
                {
                    Created = record.Created,
                    CreatedBy = $"lab image recipe labs/images/{record.Name} ({record.RecipeHash})",
                    Comment = "root filesystem built by the recipe's build script",
                },
                .. ConfigHistory.Describe(config).Select(line => new HistoryEntry
                {
                    Created = record.Created,
                    CreatedBy = line,
                    EmptyLayer = true,
                }),
            ],
        };
        var configDescriptor = await store.WriteJsonAsync(imageConfig, MediaTypes.OciConfig, ct);
        var manifest = new ImageManifest
        {
            Config = configDescriptor,
            Layers = [new Descriptor { MediaType = MediaTypes.OciLayer, Digest = layer, Size = size }],
        };
        return await store.WriteJsonAsync(manifest, MediaTypes.OciManifest, ct);
    }
}
