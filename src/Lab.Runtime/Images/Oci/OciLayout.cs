using System.Text.Json.Serialization;

namespace Lab.Runtime.Images.Oci;

/// <summary>The OCI image layout (image-layout.md): an <c>oci-layout</c> header file, an <c>index.json</c>
/// listing the images, and <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>. As a directory or as a tar of one.</summary>
public static class OciLayout
{
    public const string HeaderFile = "oci-layout";
    public const string IndexFile = "index.json";
    public const string Version = "1.0.0";

    public static string BlobPath(Digest digest) => $"blobs/{Digest.Algorithm}/{digest.Hex}";
}

/// <summary>The contents of the <c>oci-layout</c> file.</summary>
public sealed record OciLayoutHeader
{
    [JsonPropertyName("imageLayoutVersion")] public required string ImageLayoutVersion { get; init; }
}
