using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Tests.Images.Oci;

/// <summary>Small images written straight into a content store: layers from <see cref="LayerTar"/>, a config
/// listing their diff ids, a manifest.</summary>
static class OciTestImages
{
    public static async Task<Descriptor> ImageAsync(IContentStore store, string cmd, Platform? platform = null,
        bool gzip = false, params byte[][] layerTars)
    {
        platform ??= Platform.Host;
        var layers = new List<Descriptor>();
        foreach (var tar in layerTars)
        {
            var blob = gzip ? LayerTar.Gzip(tar) : tar;
            var info = await store.WriteBytesAsync(blob);
            layers.Add(new Descriptor
            {
                MediaType = gzip ? MediaTypes.OciLayerGzip : MediaTypes.OciLayer, Digest = info.Digest, Size = info.Size,
            });
        }
        var config = await store.WriteJsonAsync(new ImageConfig
        {
            Created = LayerTar.Mtime,
            Architecture = platform.Architecture,
            Os = platform.Os,
            Variant = platform.Variant,
            Config = new ContainerConfig { Cmd = [cmd], Env = ["PATH=/usr/bin:/bin"] },
            RootFs = new RootFs { DiffIds = layerTars.Select(t => Digest.Of(t)).ToList() },
            History = layerTars.Select(_ => new HistoryEntry { CreatedBy = "test layer" }).ToList(),
        }, MediaTypes.OciConfig);
        return await store.WriteJsonAsync(new ImageManifest { Config = config, Layers = layers }, MediaTypes.OciManifest);
    }

    public static async Task<Descriptor> IndexAsync(IContentStore store, params (Descriptor Manifest, Platform Platform)[] entries) =>
        await store.WriteJsonAsync(new ImageIndex
        {
            Manifests = entries.Select(e => e.Manifest with { Platform = e.Platform }).ToList(),
        }, MediaTypes.OciIndex);

    public static byte[] BaseLayer() => new LayerTar().Dir("bin/").File("bin/sh", "#!shell", mode: 0b111_101_101).Dir("etc/").File("etc/os-release", "ID=test").Build();

    public static byte[] AppLayer(string text) => new LayerTar().Dir("app/").File("app/run", text).Whiteout("etc/os-release").Build();

    public static Platform Arm64 { get; } = new() { Os = "linux", Architecture = Platform.Host.Architecture == "arm64" ? "amd64" : "arm64" };
}
