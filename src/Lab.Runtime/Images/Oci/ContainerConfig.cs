using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lab.Runtime.Images.Oci;

/// <summary>The <c>config</c> object of an image config: the defaults a container of this image starts with.
/// Names are Docker's (capitalised), which the OCI spec kept. Fields only Docker knows (Healthcheck, OnBuild,
/// Shell, ...) stay in <see cref="Extra"/>. Null and empty differ: <c>ENTRYPOINT []</c> clears an entrypoint.</summary>
public sealed record ContainerConfig
{
    [JsonPropertyName("User")] public string? User { get; init; }
    [JsonPropertyName("ExposedPorts")] public IReadOnlyDictionary<string, EmptyObject>? ExposedPorts { get; init; }
    [JsonPropertyName("Env")] public IReadOnlyList<string>? Env { get; init; }
    [JsonPropertyName("Entrypoint")] public IReadOnlyList<string>? Entrypoint { get; init; }
    [JsonPropertyName("Cmd")] public IReadOnlyList<string>? Cmd { get; init; }
    [JsonPropertyName("Volumes")] public IReadOnlyDictionary<string, EmptyObject>? Volumes { get; init; }
    [JsonPropertyName("WorkingDir")] public string? WorkingDir { get; init; }
    [JsonPropertyName("Labels")] public IReadOnlyDictionary<string, string>? Labels { get; init; }
    [JsonPropertyName("StopSignal")] public string? StopSignal { get; init; }
    [JsonPropertyName("ArgsEscaped")] public bool? ArgsEscaped { get; init; }

    [JsonExtensionData] public Dictionary<string, JsonElement>? Extra { get; init; }
}

/// <summary>The <c>{}</c> that ExposedPorts and Volumes map each key to.</summary>
public sealed record EmptyObject
{
    public static EmptyObject Value { get; } = new();
}
