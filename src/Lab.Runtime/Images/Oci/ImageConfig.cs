using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lab.Runtime.Images.Oci;

/// <summary>An image's configuration blob (OCI image spec, config.md): what it runs, on which platform, and its
/// layers' uncompressed digests. Fields Docker adds (container_config, docker_version, ...) are kept in
/// <see cref="Extra"/>, so reading and rewriting a config loses nothing.</summary>
public sealed record ImageConfig
{
    [JsonPropertyName("created")] public DateTimeOffset? Created { get; init; }
    [JsonPropertyName("author")] public string? Author { get; init; }
    [JsonPropertyName("architecture")] public required string Architecture { get; init; }
    [JsonPropertyName("os")] public required string Os { get; init; }
    [JsonPropertyName("os.version")] public string? OsVersion { get; init; }
    [JsonPropertyName("os.features")] public IReadOnlyList<string>? OsFeatures { get; init; }
    [JsonPropertyName("variant")] public string? Variant { get; init; }
    [JsonPropertyName("config")] public ContainerConfig? Config { get; init; }
    [JsonPropertyName("rootfs")] public required RootFs RootFs { get; init; }
    [JsonPropertyName("history")] public IReadOnlyList<HistoryEntry>? History { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }

    public Platform Platform => new() { Os = Os, Architecture = Architecture, Variant = Variant, OsVersion = OsVersion };
}

/// <summary>The layers of an image's root filesystem by their uncompressed (diff) digests, bottom first.</summary>
public sealed record RootFs
{
    public const string LayersType = "layers";

    [JsonPropertyName("type")] public string Type { get; init; } = LayersType;
    [JsonPropertyName("diff_ids")] public IReadOnlyList<Digest> DiffIds { get; init; } = [];
}

/// <summary>One step of how an image was made, as <c>docker history</c> shows it. Steps that changed only the
/// config (CMD, ENV, ...) are marked <see cref="EmptyLayer"/>; the others match the layers in order.</summary>
public sealed record HistoryEntry
{
    [JsonPropertyName("created")] public DateTimeOffset? Created { get; init; }
    [JsonPropertyName("created_by")] public string? CreatedBy { get; init; }
    [JsonPropertyName("author")] public string? Author { get; init; }
    [JsonPropertyName("comment")] public string? Comment { get; init; }
    [JsonPropertyName("empty_layer")] public bool? EmptyLayer { get; init; }
}
