namespace Lab.Runtime.Containers;

/// <summary>What `docker create` asks for. Null means "the image's" (Entrypoint, Cmd, WorkingDir, User, StopSignal);
/// an empty Entrypoint list clears the image's, as `--entrypoint ""` does.</summary>
public sealed record ContainerSpec
{
    public required string Image { get; init; }
    public string? Name { get; init; }
    public IReadOnlyList<string>? Entrypoint { get; init; }
    public IReadOnlyList<string>? Cmd { get; init; }
    public IReadOnlyList<string> Env { get; init; } = [];
    public string? WorkingDir { get; init; }
    public string? User { get; init; }
    public string? Hostname { get; init; }
    public bool Tty { get; init; }
    public bool OpenStdin { get; init; }
    public bool StdinOnce { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public RestartPolicy RestartPolicy { get; init; } = RestartPolicy.No;
    public bool AutoRemove { get; init; }
    public string? StopSignal { get; init; }
    public int? StopTimeout { get; init; }

    /// <summary>Config.ExposedPorts of the request ("7000/tcp"): --expose and every -p port, as the CLI sends them;
    /// added to the image's.</summary>
    public IReadOnlyList<string> ExposedPorts { get; init; } = [];

    /// <summary>"default"/"bridge", a user-defined network's name, "none" (loopback only): a network namespace of
    /// its own; "host": the lab machine's; "container:NAME": that container's.</summary>
    public string NetworkMode { get; init; } = "default";

    /// <summary>The networks it is attached to at start, in order (null: a record from before user networks).</summary>
    public IReadOnlyList<Networks.EndpointSpec>? Endpoints { get; init; }

    /// <summary>--link, --add-host, --dns, --dns-search, --dns-option as given.</summary>
    public IReadOnlyList<string> Links { get; init; } = [];
    public IReadOnlyList<string> ExtraHosts { get; init; } = [];
    public IReadOnlyList<string> Dns { get; init; } = [];
    public IReadOnlyList<string> DnsSearch { get; init; } = [];
    public IReadOnlyList<string> DnsOptions { get; init; } = [];

    public IReadOnlyList<PortBinding> PortBindings { get; init; } = [];

    /// <summary>-P: every exposed port of the image published on a free host port.</summary>
    public bool PublishAllPorts { get; init; }

    /// <summary>Binds, volumes and tmpfs mounts (-v, --mount, --tmpfs, VOLUME, --volumes-from), resolved by the Engine.</summary>
    public IReadOnlyList<ContainerMount> Mounts { get; init; } = [];

    /// <summary>--volumes-from CONTAINER[:ro|rw], as asked (inspect's HostConfig.VolumesFrom).</summary>
    public IReadOnlyList<string> VolumesFrom { get; init; } = [];

    /// <summary>0 = no limit of its own (the machine's quota still bounds it).</summary>
    public long MemoryBytes { get; init; }
    public long NanoCpus { get; init; }
    public long PidsLimit { get; init; }
}
