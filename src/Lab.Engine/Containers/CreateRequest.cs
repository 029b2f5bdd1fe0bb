using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lab.Engine.Containers;

/// <summary>The body of <c>POST /containers/create</c>: Docker's container.Config with HostConfig and
/// NetworkingConfig beside it. Only fields Lab reads or must refuse are declared; the rest are ignored as dockerd
/// ignores zero values. Field names match case-insensitively, as Go's decoder does.</summary>
public sealed record CreateRequest
{
    public string? Image { get; init; }
    public string? Hostname { get; init; }
    public string? User { get; init; }
    public bool Tty { get; init; }
    public bool OpenStdin { get; init; }
    public bool StdinOnce { get; init; }
    public IReadOnlyList<string>? Env { get; init; }
    [JsonConverter(typeof(StrSliceConverter))] public IReadOnlyList<string>? Cmd { get; init; }
    [JsonConverter(typeof(StrSliceConverter))] public IReadOnlyList<string>? Entrypoint { get; init; }
    public string? WorkingDir { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public string? StopSignal { get; init; }
    public int? StopTimeout { get; init; }
    public IReadOnlyDictionary<string, JsonElement>? ExposedPorts { get; init; }
    public IReadOnlyDictionary<string, JsonElement>? Volumes { get; init; }
    public JsonElement? Healthcheck { get; init; }
    public HostConfigRequest? HostConfig { get; init; }
    public NetworkingConfigRequest? NetworkingConfig { get; init; }

    public static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };
}

public sealed record HostConfigRequest
{
    public bool Privileged { get; init; }
    public string? PidMode { get; init; }
    public string? IpcMode { get; init; }
    public string? UTSMode { get; init; }
    public string? UsernsMode { get; init; }
    public string? CgroupnsMode { get; init; }
    public string? CgroupParent { get; init; }
    public string? NetworkMode { get; init; }
    public IReadOnlyList<string>? CapAdd { get; init; }
    public IReadOnlyList<string>? CapDrop { get; init; }
    public IReadOnlyList<JsonElement>? Devices { get; init; }
    public IReadOnlyList<JsonElement>? DeviceRequests { get; init; }
    public IReadOnlyList<string>? DeviceCgroupRules { get; init; }
    public IReadOnlyList<string>? SecurityOpt { get; init; }
    public IReadOnlyList<string>? Binds { get; init; }
    public IReadOnlyList<JsonElement>? Mounts { get; init; }
    public IReadOnlyDictionary<string, JsonElement>? PortBindings { get; init; }
    public bool PublishAllPorts { get; init; }
    public IReadOnlyList<string>? VolumesFrom { get; init; }
    public IReadOnlyList<string>? Links { get; init; }
    public IReadOnlyList<string>? ExtraHosts { get; init; }
    public IReadOnlyList<string>? Dns { get; init; }
    public IReadOnlyList<string>? DnsSearch { get; init; }
    public IReadOnlyList<string>? DnsOptions { get; init; }
    public bool ReadonlyRootfs { get; init; }
    public IReadOnlyDictionary<string, string>? Tmpfs { get; init; }
    public IReadOnlyDictionary<string, string>? Sysctls { get; init; }
    public IReadOnlyList<JsonElement>? Ulimits { get; init; }
    public IReadOnlyList<string>? GroupAdd { get; init; }
    public RestartPolicyRequest? RestartPolicy { get; init; }
    public bool AutoRemove { get; init; }
    public long Memory { get; init; }
    public long MemorySwap { get; init; }
    public long NanoCpus { get; init; }
    public long CpuQuota { get; init; }
    public long CpuPeriod { get; init; }
    public long? PidsLimit { get; init; }
    public long ShmSize { get; init; }
}

/// <summary>The networks to attach at create, by name or id, with their aliases and fixed addresses.</summary>
public sealed record NetworkingConfigRequest(IReadOnlyDictionary<string, Api.EndpointSettingsRequest>? EndpointsConfig);

public sealed record RestartPolicyRequest(string? Name, int MaximumRetryCount);

/// <summary>Go's strslice.StrSlice: an array of strings, or one string (old clients), or null.</summary>
public sealed class StrSliceConverter : JsonConverter<IReadOnlyList<string>?>
{
    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => [reader.GetString()!],
            _ => JsonSerializer.Deserialize<List<string>>(ref reader, options),
        };

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string>? value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}
