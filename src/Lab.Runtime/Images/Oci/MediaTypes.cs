namespace Lab.Runtime.Images.Oci;

/// <summary>Media types of the OCI image spec and of Docker's image manifest v2 schema 2, which registries,
/// <c>docker save</c> and containerd still produce.</summary>
public static class MediaTypes
{
    public const string OciLayoutHeader = "application/vnd.oci.layout.header.v1+json";
    public const string OciDescriptor = "application/vnd.oci.descriptor.v1+json";
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciEmpty = "application/vnd.oci.empty.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string OciNondistributableLayer = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public const string OciNondistributableLayerGzip = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";

    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerForeignLayerGzip = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";

    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    public static bool IsManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;

    public static bool IsConfig(string? mediaType) => mediaType is OciConfig or DockerConfig;

    public static bool IsLayer(string? mediaType) => mediaType is OciLayer or OciLayerGzip or OciLayerZstd
        or OciNondistributableLayer or OciNondistributableLayerGzip or DockerLayerGzip or DockerForeignLayerGzip;

    /// <summary>The OCI layer media type for a layer blob of the given compression.</summary>
    public static string OciLayerFor(LayerCompression compression) => compression switch
    {
        LayerCompression.None => OciLayer,
        LayerCompression.Gzip => OciLayerGzip,
        LayerCompression.Zstd => OciLayerZstd,
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, null),
    };
}
