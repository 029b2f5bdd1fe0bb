using System.Text.Json.Serialization;

namespace Lab.Runtime.Images.Oci;

/// <summary>One image for one platform: its config blob and its layers, bottom first (OCI image spec,
/// manifest.md; Docker's v2 schema 2 manifest has the same shape under its own media types).</summary>
public sealed record ImageManifest
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; init; } = 2;
    [JsonPropertyName("mediaType")] public string? MediaType { get; init; } = MediaTypes.OciManifest;
    [JsonPropertyName("artifactType")] public string? ArtifactType { get; init; }
    [JsonPropertyName("config")] public required Descriptor Config { get; init; }
    [JsonPropertyName("layers")] public IReadOnlyList<Descriptor> Layers { get; init; } = [];
    [JsonPropertyName("subject")] public Descriptor? Subject { get; init; }
    [JsonPropertyName("annotations")] public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
