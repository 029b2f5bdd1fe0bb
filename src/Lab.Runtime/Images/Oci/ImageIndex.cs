using System.Text.Json.Serialization;

namespace Lab.Runtime.Images.Oci;

/// <summary>A list of manifests, usually one per platform (OCI image spec, image-index.md; Docker calls it a
/// manifest list). Also the shape of an image layout's index.json.</summary>
public sealed record ImageIndex
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 2;
    [JsonPropertyName("mediaType")] public string? MediaType { get; init; } = MediaTypes.OciIndex;
    [JsonPropertyName("artifactType")] public string? ArtifactType { get; init; }
    [JsonPropertyName("manifests")] public IReadOnlyList<Descriptor> Manifests { get; init; } = [];
    [JsonPropertyName("subject")] public Descriptor? Subject { get; init; }
    [JsonPropertyName("annotations")] public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
