namespace Lab.Runtime.Networks;

/// <summary>dockerd's default IPAM, per lab machine: subnets for new networks from the default address pools
/// (172.17.0.0/16 … 172.31.0.0/16, then 192.168.0.0/16 in /20s; 172.17 is the default bridge's), and addresses for
/// containers from a network's ip-range (else its subnet), never its network, broadcast or gateway address.</summary>
public static class Ipam
{
    public static IEnumerable<Subnet> DefaultPools()
    {
        for (uint b = 17; b <= 31; b++) yield return new Subnet(172u << 24 | b << 16, 16);
        for (uint c = 0; c < 256; c += 16) yield return new Subnet(192u << 24 | 168u << 16 | c << 8, 20);
    }

    public static Subnet NextSubnet(IEnumerable<Subnet> taken)
    {
        var used = taken.ToList();
        foreach (var pool in DefaultPools())
            if (used.All(t => !t.Overlaps(pool))) return pool;
        throw new LabException(ErrorKind.Forbidden,
            "could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network");
    }

    /// <summary>The gateway dockerd picks when none is given: the subnet's first host.</summary>
    public static uint DefaultGateway(Subnet subnet) => subnet.First + 1;

    /// <summary>An address for a container: <paramref name="requested"/> (--ip) if it is free and in the subnet, else
    /// the lowest free one.</summary>
    public static uint Allocate(NetworkRecord network, IEnumerable<string> inUse, string? requested)
    {
        var subnet = Subnet.Parse(network.Subnet!);
        var gateway = Subnet.ParseAddress(network.Gateway!, "gateway");
        var used = inUse.Select(a => Subnet.ParseAddress(a, "address")).ToHashSet();
        if (requested is not null)
        {
            var address = Subnet.ParseAddress(requested, "IPv4 address");
            if (!subnet.Contains(address) || address == subnet.First || address == subnet.Last)
                throw new LabException(ErrorKind.InvalidParameter,
                    $"invalid endpoint settings:\nno configured subnet or ip-range contain the IP address {requested}");
            if (used.Contains(address) || address == gateway)
                throw new LabException(ErrorKind.Forbidden, "Address already in use");
            return address;
        }
        var range = network.IpRange is { Length: > 0 } r ? Subnet.Parse(r, "ip-range") : subnet;
        for (var candidate = Math.Max(range.First, subnet.First + 1); candidate <= range.Last && candidate < subnet.Last; candidate++)
            if (candidate != gateway && !used.Contains(candidate)) return candidate;
        throw new LabException(ErrorKind.Forbidden, $"no available IPv4 addresses on this network's address pools: {network.Name} ({network.Id})");
    }

    /// <summary>Checks a create request's IPAM options as dockerd does and fills in what was left out.</summary>
    public static (string Subnet, string Gateway, string? IpRange) Configure(string? subnet, string? gateway,
        string? ipRange, IEnumerable<Subnet> taken)
    {
        if (string.IsNullOrEmpty(subnet))
        {
            if (!string.IsNullOrEmpty(gateway) || !string.IsNullOrEmpty(ipRange))
                throw new LabException(ErrorKind.InvalidParameter, "Invalid subnet : invalid CIDR address: ");
            var chosen = NextSubnet(taken);
            return (chosen.ToString(), Subnet.Format(DefaultGateway(chosen)), null);
        }
        var parsed = Subnet.Parse(subnet);
        if (!parsed.IsCanonical)
            throw new LabException(ErrorKind.InvalidParameter,
                $"invalid network config:\ninvalid subnet {subnet}: it should be {parsed}");
        if (parsed.PrefixLength > 30)
            throw new LabException(ErrorKind.InvalidParameter, $"invalid subnet {subnet}: too small for a bridge network");
        if (taken.Any(t => t.Overlaps(parsed)))
            throw new LabException(ErrorKind.Forbidden, "invalid pool request: Pool overlaps with other one on this address space");
        var gw = string.IsNullOrEmpty(gateway) ? DefaultGateway(parsed) : Subnet.ParseAddress(gateway, "gateway");
        if (!parsed.Contains(gw))
            throw new LabException(ErrorKind.InvalidParameter, $"invalid network config:\ninvalid gateway {gateway}: it is not in subnet {subnet}");
        if (!string.IsNullOrEmpty(ipRange))
        {
            var range = Subnet.Parse(ipRange, "ip-range");
            if (!range.IsCanonical || !parsed.Contains(range.First) || !parsed.Contains(range.Last))
                throw new LabException(ErrorKind.InvalidParameter, $"invalid network config:\ninvalid ip-range {ipRange}: it must be within {subnet}");
        }
        return (parsed.ToString(), Subnet.Format(gw), string.IsNullOrEmpty(ipRange) ? null : ipRange);
    }
}
