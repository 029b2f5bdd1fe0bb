using System.Text.Json.Serialization;

namespace Lab.Runtime.Images.Oci;

/// <summary>The <c>docker save</c> format (moby image/spec v1.2 "combined image JSON + filesystem changeset"):
/// <c>manifest.json</c> lists each image's config file, layer files (bottom first) and RepoTags; the legacy
/// <c>repositories</c> file maps familiar repository → tag → top layer id. Docker 25+ also makes the same tar an
/// OCI image layout, with every file under blobs/.</summary>
public static class DockerArchive
{
    public const string ManifestFile = "manifest.json";
    public const string RepositoriesFile = "repositories";
}

/// <summary>One entry of a docker-archive <c>manifest.json</c>; paths are relative to the archive's root.</summary>
public sealed record DockerArchiveItem
{
    [JsonPropertyName("Config")] public required string Config { get; init; }
    [JsonPropertyName("RepoTags")] public IReadOnlyList<string>? RepoTags { get; init; }
    [JsonPropertyName("Layers")] public IReadOnlyList<string> Layers { get; init; } = [];
    [JsonPropertyName("Parent")] public string? Parent { get; init; }
    [JsonPropertyName("LayerSources")] public IReadOnlyDictionary<string, Descriptor>? LayerSources { get; init; }
}
