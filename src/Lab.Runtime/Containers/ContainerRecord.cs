namespace Lab.Runtime.Containers;

/// <summary>One container of one machine as it is persisted (machines/M/containers/ID/container.json) and
/// inspected. <see cref="Config"/> is the effective configuration: the spec merged with the image's defaults.</summary>
public sealed record ContainerRecord
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Machine { get; init; }
    public required DateTimeOffset Created { get; init; }

    /// <summary>The image as it was asked for (Config.Image in Docker's inspect).</summary>
    public required string ImageName { get; init; }

    /// <summary>The image's id (its config digest, sha256:...).</summary>
    public required string ImageId { get; init; }

    /// <summary>The image's layer directories, top first: a container keeps running on them even if its image's
    /// name is moved or removed.</summary>
    public required IReadOnlyList<string> Layers { get; init; }
    public required ContainerSpec Spec { get; init; }
    public required EffectiveConfig Config { get; init; }
    public ContainerState State { get; init; } = new();

    /// <summary>Its address on the machine's bridge while it runs (null on "none" and "host" networks).</summary>
    public ContainerNetwork? Network { get; init; }

    /// <summary>Its endpoints on each network while it runs (the first is <see cref="Network"/>).</summary>
    public IReadOnlyList<Networks.NetworkEndpoint> Endpoints { get; init; } = [];
    public int RestartCount { get; init; }

    /// <summary>Set by stop/kill from a user (and cleared by start): restart policies do not bring it back.</summary>
    public bool StoppedByUser { get; init; }

    /// <summary>The monitor process (our child: it exits with the container's code), with its start time.</summary>
    public int? MonitorPid { get; init; }
    public long? MonitorStartTime { get; init; }

    /// <summary>The executable and its arguments, as Docker's Path and Args.</summary>
    public string Path => Config.Command.Count > 0 ? Config.Command[0] : "";
    public IReadOnlyList<string> Args => Config.Command.Skip(1).ToList();

    /// <summary>The container's name and id segments of its cgroup, below its machine's.</summary>
    public string CgroupName => $"{Machine}/{Id[..12]}";
}

/// <summary>What the container actually runs with, after Docker's merge of create options and image config.</summary>
public sealed record EffectiveConfig
{
    public required IReadOnlyList<string> Entrypoint { get; init; }
    public required IReadOnlyList<string> Cmd { get; init; }
    public required IReadOnlyList<string> Env { get; init; }
    public required string WorkingDir { get; init; }
    public required string User { get; init; }
    public required string Hostname { get; init; }
    public required IReadOnlyDictionary<string, string> Labels { get; init; }
    public required IReadOnlyList<string> ExposedPorts { get; init; }
    public required IReadOnlyList<string> Volumes { get; init; }
    public required string StopSignal { get; init; }

    /// <summary>Entrypoint followed by Cmd: argv of the container's PID 1.</summary>
    public IReadOnlyList<string> Command => [.. Entrypoint, .. Cmd];
}
