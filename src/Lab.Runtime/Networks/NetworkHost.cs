using System.Collections.Concurrent;
using Lab.Runtime.Containers;
using Lab.Runtime.Machines;

namespace Lab.Runtime.Networks;

/// <summary>What `docker network create` asks for (bridge driver only: a lab machine is one host).</summary>
public sealed record NetworkCreateRequest
{
    public required string Name { get; init; }
    public string Driver { get; init; } = "bridge";
    public string? Subnet { get; init; }
    public string? Gateway { get; init; }
    public string? IpRange { get; init; }
    public bool Internal { get; init; }
    public bool Attachable { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
}

/// <summary>The networks of each lab machine, with dockerd's rules and messages: the predefined bridge, host and
/// none, and user-defined bridges (one Linux bridge each, inside the machine's network namespace, made when the
/// network is created and again at each boot of the machine). Which container is attached where is the
/// containers' business (<see cref="ContainerHost"/>); this class answers "who is on this network".</summary>
public sealed class NetworkHost
{
    private readonly MachineHost _machines;
    private readonly ContainerHost _containers;
    private readonly NetworkStore _store;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();
    private readonly object _predefinedLock = new();

    internal NetworkHost(MachineHost machines, ContainerHost containers)
    {
        _machines = machines;
        _containers = containers;
        _store = new NetworkStore(machines.Options.MachinesDir);
    }

    internal BridgeLinks Links { get; } = new();

    /// <summary>dockerd's network events: "create" and "destroy" of a network, "connect" and "disconnect" of a
    /// container (by `docker network connect/disconnect`, and for each of its networks when it starts and exits).</summary>
    public event Action<NetworkEvent>? Changed;

    internal void Raise(string machine, NetworkRecord network, string action, string? containerId = null) =>
        Changed?.Invoke(new NetworkEvent(machine, network, action, containerId, DateTimeOffset.UtcNow));

    public IReadOnlyList<NetworkRecord> List(string machine)
    {
        MachineName.Validate(machine);
        var all = _store.List(machine);
        if (all.Any(n => n.IsDefaultBridge)) return all;
        lock (_predefinedLock) // the predefined ones are made once per machine, on first sight
        {
            all = _store.List(machine);
            if (all.Any(n => n.IsDefaultBridge)) return all;
            foreach (var predefined in Predefined()) _store.Save(machine, predefined);
            return _store.List(machine);
        }
    }

    private static IEnumerable<NetworkRecord> Predefined()
    {
        var now = DateTimeOffset.UtcNow;
        yield return new NetworkRecord
        {
            Id = ContainerNames.NewId(), Name = NetworkRecord.DefaultBridgeName, Driver = "bridge", Created = now,
            Subnet = "172.17.0.0/16", Gateway = "172.17.0.1",
            Options = new Dictionary<string, string>
            {
                ["com.docker.network.bridge.default_bridge"] = "true",
                ["com.docker.network.bridge.enable_icc"] = "true",
                ["com.docker.network.bridge.enable_ip_masquerade"] = "true",
                ["com.docker.network.bridge.host_binding_ipv4"] = "0.0.0.0",
                ["com.docker.network.bridge.name"] = "lab0",
                ["com.docker.network.driver.mtu"] = "1500",
            },
        };
        yield return new NetworkRecord { Id = ContainerNames.NewId(), Name = "host", Driver = "host", Created = now };
        yield return new NetworkRecord { Id = ContainerNames.NewId(), Name = "none", Driver = "null", Created = now };
    }

    /// <summary>dockerd's lookup: the exact name, then the full id, then a unique id prefix.</summary>
    public NetworkRecord? Find(string machine, string idOrName)
    {
        if (string.IsNullOrEmpty(idOrName)) return null;
        var all = List(machine);
        return all.FirstOrDefault(n => n.Name == idOrName)
            ?? all.FirstOrDefault(n => n.Id == idOrName)
            ?? (all.Where(n => n.Id.StartsWith(idOrName, StringComparison.Ordinal)).ToList() is [var only] ? only : null);
    }

    public NetworkRecord Get(string machine, string idOrName) =>
        Find(machine, idOrName) ?? throw new LabException(ErrorKind.NotFound, $"network {idOrName} not found");

    public NetworkRecord DefaultBridge(string machine) => List(machine).First(n => n.IsDefaultBridge);

    public async Task<NetworkRecord> CreateAsync(string machine, NetworkCreateRequest request, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(request.Name)) throw new LabException(ErrorKind.InvalidParameter, "network name cannot be empty");
        if (!System.Text.RegularExpressions.Regex.IsMatch(request.Name, "^[a-zA-Z0-9][a-zA-Z0-9_.-]*$"))
            throw new LabException(ErrorKind.InvalidParameter,
                $"invalid network name \"{request.Name}\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        if (request.Name is NetworkRecord.DefaultBridgeName or "host" or "none")
            throw new LabException(ErrorKind.Forbidden, $"{request.Name} is a pre-defined network and cannot be created");
        if (request.Driver is not ("" or "bridge"))
            throw new LabException(ErrorKind.NotFound,
                $"plugin \"{request.Driver}\" not found" + (request.Driver is "overlay" or "macvlan" or "ipvlan" ? " (a lab machine offers the bridge driver only)" : ""));
        using var _ = await LockAsync(machine, ct);
        var existing = List(machine);
        if (existing.Any(n => n.Name == request.Name))
            throw new LabException(ErrorKind.Conflict, $"network with name {request.Name} already exists");
        var taken = existing.Where(n => n.Subnet is not null).Select(n => Subnet.Parse(n.Subnet!));
        var (subnet, gateway, ipRange) = Ipam.Configure(request.Subnet, request.Gateway, request.IpRange, taken);
        var network = new NetworkRecord
        {
            Id = ContainerNames.NewId(), Name = request.Name, Driver = "bridge", Created = DateTimeOffset.UtcNow,
            Subnet = subnet, Gateway = gateway, IpRange = ipRange, Internal = request.Internal,
            GatewayPicked = !string.IsNullOrEmpty(request.Subnet) && string.IsNullOrEmpty(request.Gateway),
            Attachable = request.Attachable, Labels = request.Labels, Options = request.Options,
        };
        _store.Save(machine, network);
        if (MachinePid(machine) is int pid) await EnsureBridgeAsync(pid, network);
        Raise(machine, network, "create");
        return network;
    }

    /// <summary>At each boot of a machine (a new network namespace): every bridge network's bridge made again.</summary>
    internal async Task RecreateBridgesAsync(string machine)
    {
        try
        {
            if (MachinePid(machine) is not int pid) return;
            foreach (var network in List(machine).Where(n => n.Driver == "bridge"))
                await EnsureBridgeAsync(pid, network);
        }
        catch (Exception e) when (e is LabException or IOException)
        {
            // Containers attaching later try again, and report what fails.
        }
    }

    internal Task EnsureBridgeAsync(int machinePid, NetworkRecord network) =>
        Links.EnsureBridgeAsync(machinePid, network.BridgeDevice, network.Gateway!, Subnet.Parse(network.Subnet!).PrefixLength);

    /// <summary>`docker network rm`: predefined networks stay; one with a running container attached is refused
    /// (stopped containers keep their configuration and fail at their next start, as with dockerd).</summary>
    public async Task RemoveAsync(string machine, string idOrName, CancellationToken ct = default)
    {
        using var _ = await LockAsync(machine, ct);
        var network = Get(machine, idOrName);
        if (network.IsPredefined)
            throw new LabException(ErrorKind.Forbidden, $"{network.Name} is a pre-defined network and cannot be removed");
        var users = Attached(machine, network.Id).ToList();
        if (users.Count > 0)
            throw new LabException(ErrorKind.Forbidden,
                $"error while removing network: network {network.Name} has active endpoints ({string.Join(", ", users.Select(u => $"name:\"{u.Container.Name}\" id:\"{u.Container.Id[..12]}\""))})");
        _store.Delete(machine, network.Id);
        if (MachinePid(machine) is int pid) await Links.DeleteBridgeAsync(pid, network.BridgeDevice);
        Raise(machine, network, "destroy");
    }

    /// <summary>`docker network prune`: the user-defined networks no running container uses, among those
    /// <paramref name="selected"/> keeps; their names.</summary>
    public async Task<IReadOnlyList<string>> PruneAsync(string machine, Func<NetworkRecord, bool> selected, CancellationToken ct = default)
    {
        var removed = new List<string>();
        foreach (var network in List(machine).Where(n => n.IsUserDefined && selected(n)))
        {
            if (Attached(machine, network.Id).Any()) continue;
            try
            {
                await RemoveAsync(machine, network.Id, ct);
                removed.Add(network.Name);
            }
            catch (LabException e) when (e.Kind is ErrorKind.Forbidden or ErrorKind.NotFound) { } // in use or gone meanwhile
        }
        return removed;
    }

    /// <summary>The running containers on a network with their endpoint there.</summary>
    public IEnumerable<(ContainerRecord Container, NetworkEndpoint Endpoint)> Attached(string machine, string networkId) =>
        _containers.LiveEndpoints(machine).Where(e => e.Endpoint.NetworkId == networkId);

    /// <summary>The names of the networks a container is configured for, running or not (host/none by mode).</summary>
    public IReadOnlyList<string> NetworksOf(ContainerRecord container)
    {
        var mode = container.Spec.NetworkMode;
        if (mode is "host" or "none") return [mode];
        if (container.Spec.Endpoints is null) return mode is "default" or "bridge" ? [NetworkRecord.DefaultBridgeName] : [mode];
        return container.Spec.Endpoints.Select(e => e.NetworkName).ToList();
    }

    private int? MachinePid(string machine) =>
        _machines.Find(machine)?.State == MachineState.Running ? _machines.InitPidOf(machine) : null;

    private async Task<IDisposable> LockAsync(string machine, CancellationToken ct)
    {
        var gate = _locks.GetOrAdd(machine, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Releaser(gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
