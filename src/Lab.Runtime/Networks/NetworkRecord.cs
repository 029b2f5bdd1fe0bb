namespace Lab.Runtime.Networks;

/// <summary>One network of one lab machine, as persisted (machines/M/networks/ID.json) and inspected. The three
/// predefined ones (bridge, host, none) are records too, made once per machine, so their ids stay stable as
/// dockerd's do.</summary>
public sealed record NetworkRecord
{
    public required string Id { get; init; }
    public required string Name { get; init; }

    /// <summary>"bridge", "host" or "null" (moby's driver names).</summary>
    public required string Driver { get; init; }
    public required DateTimeOffset Created { get; init; }

    /// <summary>IPAM, bridge networks only.</summary>
    public string? Subnet { get; init; }
    public string? Gateway { get; init; }

    /// <summary>The gateway was picked by IPAM inside a subnet the user gave (--subnet without --gateway): dockerd
    /// then lists the subnet alone in IPAM.Config, while a subnet it picked itself comes with its gateway.</summary>
    public bool GatewayPicked { get; init; }
    public string? IpRange { get; init; }

    /// <summary>--internal: dockerd gives such a bridge no default route; here no network routes out anyway.</summary>
    public bool Internal { get; init; }
    public bool Attachable { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    public const string DefaultBridgeName = "bridge";

    public bool IsPredefined => Name is DefaultBridgeName or "host" or "none";

    public bool IsDefaultBridge => Name == DefaultBridgeName;

    /// <summary>The user-defined bridges: the ones with an embedded DNS and network-scoped aliases.</summary>
    public bool IsUserDefined => !IsPredefined;

    /// <summary>The bridge device inside the machine: lab0 for the default one, br-&lt;12 hex&gt; as dockerd names them.</summary>
    public string BridgeDevice => IsDefaultBridge ? "lab0" : "br-" + Id[..12];
}

/// <summary>What a container asks of one network (create's EndpointsConfig, `docker network connect`): kept in its
/// spec, so a stopped container is attached again on its next start.</summary>
public sealed record EndpointSpec
{
    /// <summary>The network's id (names are resolved when the container is created or connected).</summary>
    public required string NetworkId { get; init; }

    /// <summary>Its name when it was resolved, for messages about a network removed since.</summary>
    public string NetworkName { get; init; } = "";
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>--ip: a fixed address on this network.</summary>
    public string? IpAddress { get; init; }

    /// <summary>--link name:alias on a user-defined network: resolved by the embedded DNS for this container only.</summary>
    public IReadOnlyList<string> Links { get; init; } = [];
}

/// <summary>A running container's place on one network: its interface, address and the endpoint's id.</summary>
public sealed record NetworkEndpoint
{
    public required string NetworkId { get; init; }
    public required string NetworkName { get; init; }
    public required string EndpointId { get; init; }
    public required string Interface { get; init; }
    public required string IpAddress { get; init; }
    public required int PrefixLength { get; init; }
    public required string Gateway { get; init; }
    public required string MacAddress { get; init; }
    public string HostVeth { get; init; } = "";
}
