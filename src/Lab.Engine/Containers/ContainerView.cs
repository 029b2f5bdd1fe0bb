using System.Globalization;
using Lab.Engine.Http;
using Lab.Runtime.Containers;

namespace Lab.Engine.Containers;

/// <summary>How dockerd shows a container: <c>docker inspect</c>'s full document and <c>docker ps</c>'s summary,
/// with Go's field names so tutorial templates (<c>{{.State.Status}}</c>, <c>{{.Config.Env}}</c>) work.</summary>
public static class ContainerView
{
    const string ZeroTime = "0001-01-01T00:00:00Z";

    public static Dictionary<string, object?> Inspect(ContainerRecord c, ApiVersion version)
    {
        var spec = c.Spec;
        var inspect = new Dictionary<string, object?>
        {
            ["Id"] = c.Id,
            ["Created"] = Time(c.Created),
            ["Path"] = c.Path,
            ["Args"] = c.Args,
            ["State"] = new Dictionary<string, object?>
            {
                ["Status"] = c.State.Status,
                ["Running"] = c.State.Running,
                ["Paused"] = c.State.Paused,
                ["Restarting"] = c.State.Restarting,
                ["OOMKilled"] = c.State.OomKilled,
                ["Dead"] = c.State.Dead,
                ["Pid"] = c.State.Pid,
                ["ExitCode"] = c.State.ExitCode,
                ["Error"] = c.State.Error,
                ["StartedAt"] = c.State.StartedAt is { } s ? Time(s) : ZeroTime,
                ["FinishedAt"] = c.State.FinishedAt is { } f ? Time(f) : ZeroTime,
            },
            ["Image"] = c.ImageId,
            ["ResolvConfPath"] = FilePath(c, "resolv.conf"),
            ["HostnamePath"] = FilePath(c, "hostname"),
            ["HostsPath"] = FilePath(c, "hosts"),
            ["LogPath"] = "",
            ["Name"] = "/" + c.Name,
            ["RestartCount"] = c.RestartCount,
            ["Driver"] = "overlay2",
            ["Platform"] = "linux",
            ["MountLabel"] = "",
            ["ProcessLabel"] = "",
            ["AppArmorProfile"] = "",
            ["ExecIDs"] = null,
            ["HostConfig"] = HostConfig(spec, version),
            ["GraphDriver"] = new { Data = (object?)null, Name = "overlay2" },
            ["Mounts"] = MountView.MountPoints(spec),
            ["Config"] = new Dictionary<string, object?>
            {
                ["Hostname"] = c.Config.Hostname,
                ["Domainname"] = "",
                ["User"] = c.Config.User,
                ["AttachStdin"] = spec.OpenStdin,
                ["AttachStdout"] = true,
                ["AttachStderr"] = true,
                ["ExposedPorts"] = c.Config.ExposedPorts.Count == 0 ? null : c.Config.ExposedPorts.ToDictionary(p => p, _ => new { }),
                ["Tty"] = spec.Tty,
                ["OpenStdin"] = spec.OpenStdin,
                ["StdinOnce"] = spec.StdinOnce,
                ["Env"] = c.Config.Env,
                ["Cmd"] = c.Config.Cmd.Count == 0 ? null : c.Config.Cmd,
                ["Image"] = c.ImageName,
                ["Volumes"] = MountView.ConfigVolumes(c),
                ["WorkingDir"] = c.Config.WorkingDir,
                ["Entrypoint"] = c.Config.Entrypoint.Count == 0 ? null : c.Config.Entrypoint,
                ["OnBuild"] = null,
                ["Labels"] = c.Config.Labels,
                ["StopSignal"] = c.Config.StopSignal,
            },
            ["NetworkSettings"] = NetworkSettings(c, version),
        };
        if (spec.StopTimeout is int timeout) ((Dictionary<string, object?>)inspect["Config"]!)["StopTimeout"] = timeout;
        return inspect;
    }

    // Paths inside the lab machine (the student's "host"); dockerd shows its own host paths.
    static string FilePath(ContainerRecord c, string file) => $"{ContainerHost.FilesDir(c.Id)}/{file}";

    // docker-py tutorials read NetworkSettings.IPAddress: dockerd fills these top-level (deprecated) fields from the
    // default bridge only; templates read .NetworkSettings.Networks.<name>.IPAddress.
    static Dictionary<string, object?> NetworkSettings(ContainerRecord c, ApiVersion version)
    {
        var bridge = Live(c).FirstOrDefault(e => e.NetworkName == Lab.Runtime.Networks.NetworkRecord.DefaultBridgeName);
        return new()
        {
            ["Bridge"] = "",
            ["SandboxID"] = "",
            ["SandboxKey"] = "",
            ["Ports"] = PublishedPorts.Bound(c),
            ["EndpointID"] = bridge?.EndpointId ?? "",
            ["Gateway"] = bridge?.Gateway ?? "",
            ["IPAddress"] = bridge?.IpAddress ?? "",
            ["IPPrefixLen"] = bridge?.PrefixLength ?? 0,
            ["MacAddress"] = bridge?.MacAddress ?? "",
            ["Networks"] = Networks(c, version),
        };
    }

    static IReadOnlyList<Lab.Runtime.Networks.NetworkEndpoint> Live(ContainerRecord c) =>
        c.State.Running ? c.Endpoints : [];

    /// <summary>Every network it is configured for (addresses only while it runs), keyed by name; "none"/"host" for
    /// those modes, nothing for container:NAME (its network is the other's).</summary>
    /// <param name="version">Set for inspect: before API 1.45 a user-defined network's Aliases also name the
    /// container's short id, as they did in dockerd 20.10 and still do for old clients (1.45 moved it to DNSNames).</param>
    public static Dictionary<string, object?> Networks(ContainerRecord c, ApiVersion? version = null)
    {
        var mode = c.Spec.NetworkMode;
        if (mode is "none" or "host") return new() { [mode] = Endpoint(c, null, false, null) };
        if (mode.StartsWith("container:", StringComparison.Ordinal)) return new();
        var wanted = c.Spec.Endpoints
            ?? (mode is "default" or "bridge" ? [new Lab.Runtime.Networks.EndpointSpec { NetworkId = "", NetworkName = "bridge" }] : []);
        var live = Live(c);
        bool shortIdAlias = version < new ApiVersion(1, 45);
        return wanted.ToDictionary(w => w.NetworkName, w => (object?)Endpoint(c, w, shortIdAlias,
            live.FirstOrDefault(e => e.NetworkId == w.NetworkId || w.NetworkId == "" && e.NetworkName == w.NetworkName)));
    }

    static Dictionary<string, object?> Endpoint(ContainerRecord c, Lab.Runtime.Networks.EndpointSpec? w, bool shortIdAlias,
        Lab.Runtime.Networks.NetworkEndpoint? n)
    {
        bool user = w is not null && w.NetworkName != Lab.Runtime.Networks.NetworkRecord.DefaultBridgeName;
        var aliases = user && shortIdAlias ? w!.Aliases.Append(c.Id[..12]).Distinct().ToList() : w?.Aliases;
        return new()
        {
            ["IPAMConfig"] = w?.IpAddress is { } ip ? new { IPv4Address = ip } : null,
            ["Links"] = w is { Links.Count: > 0 } ? (object)w.Links : null,
            ["Aliases"] = aliases is { Count: > 0 } ? aliases : null,
            ["MacAddress"] = n?.MacAddress ?? "",
            ["DriverOpts"] = null,
            ["NetworkID"] = n?.NetworkId ?? w?.NetworkId ?? "",
            ["EndpointID"] = n?.EndpointId ?? "",
            ["Gateway"] = n?.Gateway ?? "",
            ["IPAddress"] = n?.IpAddress ?? "",
            ["IPPrefixLen"] = n?.PrefixLength ?? 0,
            ["IPv6Gateway"] = "",
            ["GlobalIPv6Address"] = "",
            ["GlobalIPv6PrefixLen"] = 0,
            // API 1.44: the names the embedded DNS answers for it (user-defined networks only).
            ["DNSNames"] = user ? (List<string>)[c.Name, .. w!.Aliases, c.Id[..12]] : null,
        };
    }

    static Dictionary<string, object?> HostConfig(ContainerSpec spec, ApiVersion version) => MountView.AddTo(new()
    {
        ["NetworkMode"] = NetworkMode(spec, version),
        ["RestartPolicy"] = new { spec.RestartPolicy.Name, spec.RestartPolicy.MaximumRetryCount },
        ["AutoRemove"] = spec.AutoRemove,
        ["Privileged"] = false,
        ["PidMode"] = "",
        ["CapAdd"] = null,
        ["CapDrop"] = null,
        ["SecurityOpt"] = null,
        ["PortBindings"] = PublishedPorts.Asked(spec),
        ["Links"] = spec.Links.Count == 0 ? null : spec.Links.Select(l => ContainerHost.ParseLink(l)).Select(l => $"/{l.Name}:/{spec.Name}/{l.Alias}").ToList(),
        ["ExtraHosts"] = spec.ExtraHosts.Count == 0 ? null : spec.ExtraHosts,
        ["Dns"] = spec.Dns,
        ["DnsSearch"] = spec.DnsSearch,
        ["DnsOptions"] = spec.DnsOptions,
        ["PublishAllPorts"] = spec.PublishAllPorts,
        ["Memory"] = spec.MemoryBytes,
        ["MemorySwap"] = spec.MemoryBytes == 0 ? 0 : spec.MemoryBytes, // no swap in lab machines
        ["NanoCpus"] = spec.NanoCpus,
        ["PidsLimit"] = spec.PidsLimit == 0 ? null : spec.PidsLimit,
        ["LogConfig"] = new { Type = "json-file", Config = new Dictionary<string, string>() },
    }, spec);

    /// <summary>A container created without --network: "default" as dockerd stored it for API clients before 1.44,
    /// "bridge" as it does since (the CLI 20.10 sees the first, CLI 28 the second, each as with its own dockerd).</summary>
    static string NetworkMode(ContainerSpec spec, ApiVersion? version) =>
        spec.NetworkMode != "default" ? spec.NetworkMode : version < new ApiVersion(1, 44) ? "default" : "bridge";

    /// <summary>One row of <c>GET /containers/json</c>.</summary>
    public static Dictionary<string, object?> Summary(ContainerRecord c, DateTimeOffset now, ApiVersion? version = null) => new()
    {
        ["Id"] = c.Id,
        ["Names"] = new[] { "/" + c.Name },
        ["Image"] = c.ImageName,
        ["ImageID"] = c.ImageId,
        ["Command"] = string.Join(' ', c.Config.Command),
        ["Created"] = c.Created.ToUnixTimeSeconds(),
        ["Ports"] = PublishedPorts.Summary(c),
        ["Labels"] = c.Config.Labels,
        ["State"] = c.State.Status,
        ["Status"] = Status(c, now),
        ["HostConfig"] = new { NetworkMode = NetworkMode(c.Spec, version) },
        ["NetworkSettings"] = new { Networks = Networks(c) },
        ["Mounts"] = MountView.MountPoints(c.Spec),
    };

    /// <summary>dockerd's State.String(): "Up 5 seconds", "Up 2 minutes (Paused)", "Exited (0) 3 seconds ago"...</summary>
    public static string Status(ContainerRecord c, DateTimeOffset now)
    {
        var state = c.State;
        if (state.Running)
        {
            var up = "Up " + HumanDuration(now - (state.StartedAt ?? now));
            return state.Paused ? up + " (Paused)" : up;
        }
        if (state.Restarting)
            return $"Restarting ({state.ExitCode}) {HumanDuration(now - (state.FinishedAt ?? now))} ago";
        if (state.Status == ContainerStatus.Dead) return "Dead";
        if (state.Status == ContainerStatus.Removing) return "Removal In Progress";
        if (state.FinishedAt is null) return "Created";
        return $"Exited ({state.ExitCode}) {HumanDuration(now - state.FinishedAt.Value)} ago";
    }

    /// <summary>go-units HumanDuration.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return $"{seconds} seconds";
        var minutes = (long)d.TotalMinutes;
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return $"{minutes} minutes";
        var hours = (long)Math.Round(d.TotalHours);
        if (hours == 1) return "About an hour";
        if (hours < 48) return $"{hours} hours";
        if (hours < 24 * 7 * 2) return $"{hours / 24} days";
        if (hours < 24 * 30 * 2) return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2) return $"{hours / 24 / 30} months";
        return $"{(long)(d.TotalHours / 24 / 365)} years";
    }

    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
