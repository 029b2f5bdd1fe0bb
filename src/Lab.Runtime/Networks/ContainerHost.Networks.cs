using System.Collections.Concurrent;
using System.Security.Cryptography;
using Lab.Runtime.Networks;

namespace Lab.Runtime.Containers;

/// <summary>The networking part of containers: what a container asks for is checked at create (networks resolved
/// to ids, aliases and --ip only on user-defined networks, links to existing containers), made at start between
/// the container's creation and its setup (veths, addresses, /etc/hosts, resolv.conf, hostname written into the
/// machine and bind-mounted, the embedded DNS), changed while it runs (network connect/disconnect) and released
/// when it exits. Live endpoints are kept in memory: they are what IPAM and the DNS answer from.</summary>
public sealed partial class ContainerHost
{
    private NetworkHost? _networkHost;
    private readonly ConcurrentDictionary<string, IReadOnlyList<NetworkEndpoint>> _endpoints = new();
    private readonly ConcurrentDictionary<string, EmbeddedDns> _dns = new();
    private readonly SemaphoreSlim _addressLock = new(1, 1);

    /// <summary>The machines' networks (docker network ...).</summary>
    public NetworkHost Networking => LazyInitializer.EnsureInitialized(ref _networkHost, () => new NetworkHost(_machines, this));

    /// <summary>Where the container's hosts, resolv.conf and hostname are written, inside the machine (deleted with
    /// the container's directory by the machine's lab-init agent).</summary>
    public static string FilesDir(string id) => $"/var/lib/lab/containers/{id}";

    /// <summary>The running containers of a machine with their endpoints.</summary>
    internal IEnumerable<(ContainerRecord Container, NetworkEndpoint Endpoint)> LiveEndpoints(string machine)
    {
        foreach (var (key, endpoints) in _endpoints)
        {
            if (!key.StartsWith(machine + "/", StringComparison.Ordinal)) continue;
            if (_store.Load(machine, key[(machine.Length + 1)..]) is not { } record) continue;
            foreach (var endpoint in endpoints) yield return (record, endpoint);
        }
    }

    /// <summary>At create: network names resolved to ids, dockerd's checks on what goes with which mode.</summary>
    private ContainerSpec ResolveNetworking(string machine, ContainerSpec spec)
    {
        var mode = spec.NetworkMode;
        // CLI 28 names the network of its mode in EndpointsConfig too, "default" included.
        var asked = (spec.Endpoints ?? []).Select(e => e.NetworkId == "default" ? e with { NetworkId = NetworkRecord.DefaultBridgeName } : e).ToList();
        if (mode is "host" or "none" || mode.StartsWith("container:", StringComparison.Ordinal))
        {
            if (mode.StartsWith("container:", StringComparison.Ordinal))
            {
                Get(machine, mode["container:".Length..]);
                if (spec.PortBindings.Count > 0 || spec.PublishAllPorts)
                    throw new LabException(ErrorKind.InvalidParameter, "conflicting options: port publishing and the container type network mode");
                if (spec.Hostname is not null)
                    throw new LabException(ErrorKind.InvalidParameter, "conflicting options: hostname and the network mode");
                if (spec.Dns.Count > 0 || spec.ExtraHosts.Count > 0 || spec.Links.Count > 0)
                    throw new LabException(ErrorKind.InvalidParameter, "conflicting options: dns, add-host or link and the network mode");
            }
            if (mode == "host" && (spec.Links.Count > 0))
                throw new LabException(ErrorKind.InvalidParameter, "conflicting options: host type networking can't be used with links. This would result in undefined behavior");
            if (asked.Any(e => Networking.Find(machine, e.NetworkId)?.Name != mode))
                throw new LabException(ErrorKind.InvalidParameter,
                    "Container cannot be connected to network endpoints: " + string.Join(", ", asked.Select(e => e.NetworkId)));
            return spec with { Endpoints = [] };
        }
        var primary = Networking.Get(machine, mode is "default" ? NetworkRecord.DefaultBridgeName : mode);
        if (primary.Driver != "bridge") throw new LabException(ErrorKind.NotFound, $"network {mode} not found");
        var endpoints = new List<EndpointSpec>();
        var first = asked.FirstOrDefault(e => Networking.Find(machine, e.NetworkId)?.Id == primary.Id);
        endpoints.Add(Checked(primary, (first ?? new EndpointSpec { NetworkId = primary.Id }) with { Links = primary.IsUserDefined ? spec.Links : [] }));
        foreach (var more in asked.Where(e => e != first))
        {
            var network = Networking.Get(machine, more.NetworkId);
            if (endpoints.Any(e => e.NetworkId == network.Id)) continue;
            endpoints.Add(Checked(network, more));
        }
        foreach (var link in spec.Links)
        {
            var (name, _) = ParseLink(link);
            if (Find(machine, name) is null) throw new LabException(ErrorKind.InvalidParameter, $"could not get container for {name}");
        }
        foreach (var host in spec.ExtraHosts) ParseExtraHost(host);
        return spec with { Endpoints = endpoints };
    }

    private static EndpointSpec Checked(NetworkRecord network, EndpointSpec asked)
    {
        if (network.Driver != "bridge")
            throw new LabException(ErrorKind.InvalidParameter, $"container cannot be connected to the {network.Name} network and another one");
        if (!network.IsUserDefined && asked.Aliases.Count > 0)
            throw new LabException(ErrorKind.InvalidParameter, "network-scoped alias is supported only for containers in user defined networks");
        if (!network.IsUserDefined && !string.IsNullOrEmpty(asked.IpAddress))
            throw new LabException(ErrorKind.InvalidParameter, "user specified IP address is supported on user defined networks only");
        if (!string.IsNullOrEmpty(asked.IpAddress) && !Subnet.Parse(network.Subnet!).Contains(Subnet.ParseAddress(asked.IpAddress, "IPv4 address")))
            throw new LabException(ErrorKind.InvalidParameter,
                $"invalid endpoint settings:\nno configured subnet or ip-range contain the IP address {asked.IpAddress}");
        return asked with { NetworkId = network.Id, NetworkName = network.Name, IpAddress = string.IsNullOrEmpty(asked.IpAddress) ? null : asked.IpAddress };
    }

    /// <summary>"name" or "name:alias" (a leading '/' allowed, as dockerd's canonical "/db:/web/alias").</summary>
    public static (string Name, string Alias) ParseLink(string link)
    {
        var parts = link.Split(':', 2);
        var name = parts[0].TrimStart('/');
        var alias = parts.Length > 1 ? parts[1].Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? name : name;
        if (name.Length == 0) throw new LabException(ErrorKind.InvalidParameter, $"invalid link: {link}");
        return (name, alias);
    }

    /// <summary>--add-host "host:ip" (CLI 28 also sends "host=ip" converted); "host-gateway" is kept for start.</summary>
    public static (string Host, string Ip) ParseExtraHost(string entry)
    {
        var separator = entry.IndexOfAny([':', '=']);
        if (separator <= 0) throw new LabException(ErrorKind.InvalidParameter, $"invalid argument \"{entry}\" for \"--add-host\" flag: bad format for add-host: \"{entry}\"");
        var host = entry[..separator];
        var ip = entry[(separator + 1)..].Trim('[', ']');
        if (ip != "host-gateway" && !System.Net.IPAddress.TryParse(ip, out _))
            throw new LabException(ErrorKind.InvalidParameter, $"invalid IP address in add-host: \"{ip}\"");
        return (host, ip);
    }

    private IReadOnlyList<EndpointSpec> WantedEndpoints(ContainerRecord record) =>
        record.Spec.Endpoints ?? (record.Spec.NetworkMode is "default" or "bridge"
            ? [new EndpointSpec { NetworkId = Networking.DefaultBridge(record.Machine).Id, NetworkName = NetworkRecord.DefaultBridgeName }]
            : []);

    /// <summary>lab-init's --netns: the machine's ("host"), another container's ("container:NAME", running), or a new one.</summary>
    private string NetnsOf(ContainerRecord record)
    {
        var mode = record.Spec.NetworkMode;
        if (mode == "host") return "machine";
        if (!mode.StartsWith("container:", StringComparison.Ordinal)) return "private";
        var other = Get(record.Machine, mode["container:".Length..]);
        if (!other.State.Running || other.State.Pid == 0)
            throw new LabException(ErrorKind.Conflict, $"cannot join network namespace of a non running container: {other.Id}");
        return $"/proc/{other.State.Pid}/ns/net";
    }

    /// <summary>The bind mounts of /etc/hosts, /etc/resolv.conf and /etc/hostname (those the student's own mounts
    /// do not cover); with container:NAME, hosts and resolv.conf are the other container's.</summary>
    private IReadOnlyList<ContainerMount> NetworkFileMounts(ContainerRecord record)
    {
        var mode = record.Spec.NetworkMode;
        var shared = mode.StartsWith("container:", StringComparison.Ordinal) ? Get(record.Machine, mode["container:".Length..]).Id : record.Id;
        var files = new[] { ("hosts", shared), ("resolv.conf", shared), ("hostname", record.Id) };
        return files.Where(f => record.Spec.Mounts.All(m => m.Target.TrimEnd('/') != "/etc/" + f.Item1))
            .Select(f => new ContainerMount(ContainerMount.Bind, $"{FilesDir(f.Item2)}/{f.Item1}", "/etc/" + f.Item1))
            .ToList();
    }

    /// <summary>Legacy links' variables (dockerd's daemon/links): ALIAS_PORT..., ALIAS_NAME, ALIAS_ENV_...; on the
    /// default bridge only. The container's own variables win.</summary>
    private IReadOnlyList<string> WithLinkEnv(ContainerRecord record, IReadOnlyList<string> env)
    {
        if (record.Spec.Links.Count == 0 || record.Spec.NetworkMode is not ("default" or "bridge")) return env;
        var own = env.Select(e => e.Split('=', 2)[0]).ToHashSet();
        var linked = new List<string>();
        foreach (var (child, alias) in LinkedContainers(record))
        {
            var ip = _endpoints.TryGetValue(Key(child), out var eps) ? eps.FirstOrDefault(e => e.NetworkName == NetworkRecord.DefaultBridgeName)?.IpAddress : null;
            if (ip is null) continue;
            var prefix = alias.ToUpperInvariant().Replace('-', '_');
            // Its exposed ports, published ones included (-p implies EXPOSE).
            var ports = child.Config.ExposedPorts.Concat(child.Spec.PortBindings.Select(b => b.ContainerPort))
                .Select(p => p.Contains('/') ? p : p + "/tcp").Distinct()
                .OrderBy(p => int.TryParse(p.Split('/')[0], out var n) ? n : 0).ToList();
            if (ports.Count > 0)
            {
                var (port, proto) = (ports[0].Split('/')[0], ports[0].Split('/')[1]);
                linked.Add($"{prefix}_PORT={proto}://{ip}:{port}");
            }
            foreach (var p in ports)
            {
                var (port, proto) = (p.Split('/')[0], p.Split('/')[1]);
                var key = $"{prefix}_PORT_{port}_{proto.ToUpperInvariant()}";
                linked.AddRange([$"{key}={proto}://{ip}:{port}", $"{key}_ADDR={ip}", $"{key}_PORT={port}", $"{key}_PROTO={proto}"]);
            }
            linked.Add($"{prefix}_NAME=/{record.Name}/{alias}");
            foreach (var variable in child.Config.Env)
            {
                var parts = variable.Split('=', 2);
                if (parts.Length == 2 && parts[0] is not ("HOME" or "PATH")) linked.Add($"{prefix}_ENV_{parts[0]}={parts[1]}");
            }
        }
        return [.. linked.Where(e => !own.Contains(e.Split('=', 2)[0])), .. env];
    }

    private IEnumerable<(ContainerRecord Child, string Alias)> LinkedContainers(ContainerRecord record)
    {
        foreach (var link in record.Spec.Links)
        {
            var (name, alias) = ParseLink(link);
            var child = Find(record.Machine, name)
                ?? throw new LabException(ErrorKind.InvalidParameter, $"could not get container for {name}");
            if (!child.State.Running)
                throw new LabException(ErrorKind.Conflict, $"Cannot link to a non running container: /{child.Name} AS /{record.Name}/{alias}");
            yield return (child, alias);
        }
    }

    /// <summary>Between the container's creation and its setup: its networks plugged in order (the first gives the
    /// default route), its files written, its DNS started. Undone by <see cref="ReleaseNetworking"/>.</summary>
    private async Task<IReadOnlyList<NetworkEndpoint>> PlugNetworksAsync(ContainerRecord record, int machinePid, int pid, CancellationToken ct)
    {
        var endpoints = new List<NetworkEndpoint>();
        _endpoints[Key(record)] = endpoints;
        foreach (var want in WantedEndpoints(record))
        {
            var network = Networking.Find(record.Machine, want.NetworkId)
                ?? throw new LabException(ErrorKind.NotFound, $"network {(want.NetworkName.Length > 0 ? want.NetworkName : want.NetworkId)} not found");
            endpoints.Add(await PlugAsync(record, network, want, machinePid, pid, $"eth{endpoints.Count}", endpoints.Count == 0, ct));
            Networking.Raise(record.Machine, network, "connect", record.Id);
        }
        WriteNetworkFiles(record, machinePid, endpoints);
        StartDnsIfNeeded(record, pid, endpoints);
        return endpoints;
    }

    private void StartDnsIfNeeded(ContainerRecord record, int pid, IReadOnlyList<NetworkEndpoint> endpoints)
    {
        if (_dns.ContainsKey(Key(record)) || !endpoints.Any(e => e.NetworkName != NetworkRecord.DefaultBridgeName)) return;
        _dns[Key(record)] = EmbeddedDns.Start(pid, name => Resolve(record.Machine, record.Id, name));
    }

    private async Task<NetworkEndpoint> PlugAsync(ContainerRecord record, NetworkRecord network, EndpointSpec want,
        int machinePid, int pid, string ifname, bool defaultRoute, CancellationToken ct)
    {
        await Networking.EnsureBridgeAsync(machinePid, network);
        NetworkEndpoint endpoint;
        await _addressLock.WaitAsync(ct);
        try
        {
            var inUse = LiveEndpoints(record.Machine).Where(e => e.Endpoint.NetworkId == network.Id).Select(e => e.Endpoint.IpAddress);
            var address = Ipam.Allocate(network, inUse, want.IpAddress);
            endpoint = new NetworkEndpoint
            {
                NetworkId = network.Id, NetworkName = network.Name, EndpointId = ContainerNames.NewId(), Interface = ifname,
                IpAddress = Subnet.Format(address), PrefixLength = Subnet.Parse(network.Subnet!).PrefixLength,
                Gateway = network.Gateway!, MacAddress = Subnet.MacOf(address),
                HostVeth = "veth" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))[..7],
            };
            _endpoints.AddOrUpdate(Key(record), _ => [endpoint], (_, list) => [.. list, endpoint]);
        }
        finally
        {
            _addressLock.Release();
        }
        try
        {
            await Networking.Links.PlugAsync(machinePid, pid, network.BridgeDevice, endpoint.HostVeth, ifname,
                endpoint.IpAddress, endpoint.PrefixLength, endpoint.MacAddress, defaultRoute ? endpoint.Gateway : null);
        }
        catch
        {
            _endpoints.AddOrUpdate(Key(record), _ => [], (_, list) => list.Where(e => e != endpoint).ToList());
            throw;
        }
        return endpoint;
    }

    private void WriteNetworkFiles(ContainerRecord record, int machinePid, IReadOnlyList<NetworkEndpoint> endpoints)
    {
        if (record.Spec.NetworkMode.StartsWith("container:", StringComparison.Ordinal))
        {
            MachineFiles.Write(machinePid, FilesDir(record.Id), new Dictionary<string, string> { ["hostname"] = EtcFiles.Hostname(record.Config.Hostname) });
            return;
        }
        var machineResolv = MachineFiles.Read(machinePid, "/etc/resolv.conf");
        string hosts, resolv;
        if (record.Spec.NetworkMode == "host")
        {
            hosts = MachineFiles.Read(machinePid, "/etc/hosts");
            resolv = machineResolv;
        }
        else
        {
            var gateway = Networking.DefaultBridge(record.Machine).Gateway!; // dockerd's host-gateway: the default bridge's
            var extra = record.Spec.ExtraHosts.Select(ParseExtraHost).Select(h => h.Ip == "host-gateway" ? h with { Ip = gateway } : h);
            var legacy = endpoints.FirstOrDefault()?.NetworkName == NetworkRecord.DefaultBridgeName
                ? LinkedContainers(record).Select(l => (
                    Ip: _endpoints.TryGetValue(Key(l.Child), out var eps) ? eps.FirstOrDefault(e => e.NetworkName == NetworkRecord.DefaultBridgeName)?.IpAddress : null,
                    Names: l.Alias == l.Child.Name ? $"{l.Alias} {l.Child.Config.Hostname}" : $"{l.Alias} {l.Child.Config.Hostname} {l.Child.Name}"))
                    .Where(l => l.Ip is not null).Select(l => (l.Ip!, l.Names)).ToList()
                : [];
            hosts = EtcFiles.Hosts(extra, legacy, endpoints.FirstOrDefault()?.IpAddress, record.Config.Hostname);
            // Each further network adds its address, as libnetwork's sandbox does for each endpoint it joins.
            foreach (var more in endpoints.Skip(1)) hosts = EtcFiles.WithLine(hosts, EtcFiles.HostsLine(more.IpAddress, record.Config.Hostname));
            resolv = EtcFiles.ResolvConf(endpoints.Any(e => e.NetworkName != NetworkRecord.DefaultBridgeName),
                record.Spec.Dns, record.Spec.DnsSearch, record.Spec.DnsOptions, machineResolv);
        }
        MachineFiles.Write(machinePid, FilesDir(record.Id), new Dictionary<string, string>
        {
            ["hosts"] = hosts, ["resolv.conf"] = resolv, ["hostname"] = EtcFiles.Hostname(record.Config.Hostname),
        });
    }

    /// <summary>The embedded DNS's answer for one container: the running containers that share a user-defined
    /// network with it, by name, short id, network alias, or this container's links there; nothing across networks.</summary>
    internal IReadOnlyList<uint>? Resolve(string machine, string askerId, string name)
    {
        if (!_endpoints.TryGetValue($"{machine}/{askerId}", out var own) || Find(machine, askerId) is not { } asker) return null;
        var found = new List<uint>();
        var others = LiveEndpoints(machine).ToList();
        foreach (var mine in own.Where(e => e.NetworkName != NetworkRecord.DefaultBridgeName))
        {
            var wanted = WantedEndpoints(asker).FirstOrDefault(w => w.NetworkId == mine.NetworkId);
            var target = wanted?.Links.Select(ParseLink).FirstOrDefault(l => l.Alias.Equals(name, StringComparison.OrdinalIgnoreCase)).Name ?? name;
            foreach (var (container, endpoint) in others.Where(o => o.Endpoint.NetworkId == mine.NetworkId))
            {
                var aliases = WantedEndpoints(container).FirstOrDefault(w => w.NetworkId == mine.NetworkId)?.Aliases ?? [];
                if (container.Name.Equals(target, StringComparison.OrdinalIgnoreCase) || container.Id[..12] == target
                    || aliases.Any(a => a.Equals(target, StringComparison.OrdinalIgnoreCase)))
                    found.Add(Subnet.ParseAddress(endpoint.IpAddress, "address"));
            }
        }
        return found.Count > 0 ? found.Distinct().ToList() : null;
    }

    /// <summary>When the container exits (or fails to start): its DNS closed (its sockets held the namespace), its
    /// addresses freed. The veths die with the namespace.</summary>
    private void ReleaseNetworking(ContainerRecord record)
    {
        if (_endpoints.TryRemove(Key(record), out var released))
            foreach (var endpoint in released)
                RaiseDisconnect(record, endpoint.NetworkId);
        if (_dns.TryRemove(Key(record), out var dns)) dns.Dispose();
    }

    private void RaiseDisconnect(ContainerRecord record, string networkId)
    {
        // A network removed meanwhile has no name or driver left to report, as dockerd then logs nothing.
        if (Networking.Find(record.Machine, networkId) is { } network) Networking.Raise(record.Machine, network, "disconnect", record.Id);
    }

    /// <summary>The running container's /etc/hosts changed in place (the file is bind-mounted: same inode, so the
    /// container sees the change at once). Its own address lines only; what the student wrote there stays.</summary>
    private static void EditHosts(ContainerRecord record, int machinePid, Func<string, string> edit)
    {
        var path = $"{FilesDir(record.Id)}/hosts";
        MachineFiles.Write(machinePid, FilesDir(record.Id), new Dictionary<string, string> { ["hosts"] = edit(MachineFiles.Read(machinePid, path)) });
    }

    /// <summary>`docker network connect`: kept in the container's configuration, and plugged now if it runs.</summary>
    public async Task ConnectAsync(string machine, string idOrName, string network, EndpointSpec? settings = null, CancellationToken ct = default)
    {
        var record = Get(machine, idOrName);
        using var _ = await LockAsync(Key(record), ct);
        record = Get(machine, record.Id);
        var target = Networking.Get(machine, network);
        var mode = record.Spec.NetworkMode;
        // dockerd finds the endpoint first: a container on none (or host) connected to it again already has it.
        if (target.Name == mode && mode is "none" or "host")
            throw new LabException(ErrorKind.Forbidden, $"endpoint with name {record.Name} already exists in network {target.Name}");
        if (target.Name == "host" || mode == "host")
            throw new LabException(ErrorKind.Forbidden, "container cannot be disconnected from host network or connected to host network");
        if (target.Name == "none" || mode == "none")
            throw new LabException(ErrorKind.Forbidden, "container cannot be connected to multiple networks with one of the networks in private (none) mode");
        if (mode.StartsWith("container:", StringComparison.Ordinal))
            throw new LabException(ErrorKind.Forbidden, "container sharing network namespace with another container or host cannot be connected to any other network");
        var wanted = WantedEndpoints(record);
        if (wanted.Any(w => w.NetworkId == target.Id))
            throw new LabException(ErrorKind.Forbidden, $"endpoint with name {record.Name} already exists in network {target.Name}");
        var want = Checked(target, (settings ?? new EndpointSpec { NetworkId = target.Id }) with { NetworkId = target.Id });
        var live = _endpoints.GetValueOrDefault(Key(record)) ?? [];
        if (record.State.Running && _live.ContainsKey(Key(record)))
        {
            int machinePid = _machines.InitPidOf(machine);
            var ifname = Enumerable.Range(0, 64).Select(i => $"eth{i}").First(n => live.All(e => e.Interface != n));
            var plugged = await PlugAsync(record, target, want, machinePid, record.State.Pid, ifname, live.Count == 0, ct);
            live = _endpoints.GetValueOrDefault(Key(record)) ?? [];
            StartDnsIfNeeded(record, record.State.Pid, live);
            EditHosts(record, machinePid, hosts => EtcFiles.WithLine(hosts, EtcFiles.HostsLine(plugged.IpAddress, record.Config.Hostname)));
            Networking.Raise(machine, target, "connect", record.Id); // dockerd: only when the container is plugged now
        }
        _store.Save(record with { Spec = record.Spec with { Endpoints = [.. wanted, want] }, Endpoints = live });
    }

    /// <summary>`docker network disconnect`: unplugged if it runs, and removed from its configuration.
    /// <paramref name="force"/> is accepted as dockerd does; it only matters there for swarm networks.</summary>
    public async Task DisconnectAsync(string machine, string idOrName, string network, bool force = false, CancellationToken ct = default)
    {
        var record = Get(machine, idOrName);
        using var _ = await LockAsync(Key(record), ct);
        record = Get(machine, record.Id);
        var target = Networking.Get(machine, network);
        if (target.Name == "host" || record.Spec.NetworkMode == "host")
            throw new LabException(ErrorKind.Forbidden, "container cannot be disconnected from host network or connected to host network");
        var wanted = WantedEndpoints(record);
        if (wanted.All(w => w.NetworkId != target.Id))
            throw new LabException(ErrorKind.Forbidden, $"container {record.Id} is not connected to network {target.Name}");
        var live = _endpoints.GetValueOrDefault(Key(record)) ?? [];
        if (live.FirstOrDefault(e => e.NetworkId == target.Id) is { } endpoint && _machines.Find(machine)?.State == Lab.Runtime.Machines.MachineState.Running)
        {
            await BridgeLinks.UnplugAsync(_machines.InitPidOf(machine), endpoint.HostVeth);
            live = live.Where(e => e != endpoint).ToList();
            _endpoints[Key(record)] = live;
            if (!live.Any(e => e.NetworkName != NetworkRecord.DefaultBridgeName) && _dns.TryRemove(Key(record), out var dns)) dns.Dispose();
            EditHosts(record, _machines.InitPidOf(machine), hosts => EtcFiles.WithoutLine(hosts, EtcFiles.HostsLine(endpoint.IpAddress, record.Config.Hostname)));
        }
        _store.Save(record with
        {
            Spec = record.Spec with { Endpoints = wanted.Where(w => w.NetworkId != target.Id).ToList() },
            Endpoints = live,
            Network = live.Count == 0 ? null : record.Network,
        });
        Networking.Raise(machine, target, "disconnect", record.Id);
    }
}
