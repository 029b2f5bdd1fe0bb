using System.Text.Json.Serialization;

namespace Lab.Runtime.Images.Oci;

/// <summary>A pointer to content: its media type, digest and size (OCI image spec, descriptor.md).</summary>
public sealed record Descriptor
{
    [JsonPropertyName("mediaType")] public required string MediaType { get; init; }
    [JsonPropertyName("digest")] public required Digest Digest { get; init; }
    [JsonPropertyName("size")] public required long Size { get; init; }
    [JsonPropertyName("urls")] public IReadOnlyList<string>? Urls { get; init; }
    [JsonPropertyName("annotations")] public IReadOnlyDictionary<string, string>? Annotations { get; init; }
    [JsonPropertyName("data")] public byte[]? Data { get; init; }
    [JsonPropertyName("artifactType")] public string? ArtifactType { get; init; }
    [JsonPropertyName("platform")] public Platform? Platform { get; init; }

    public string? Annotation(string key) => Annotations?.GetValueOrDefault(key);
}
