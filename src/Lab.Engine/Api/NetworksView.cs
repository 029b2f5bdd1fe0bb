using Lab.Engine.Containers;
using Lab.Runtime.Containers;
using Lab.Runtime.Networks;

namespace Lab.Engine.Api;

/// <summary>How dockerd shows a network (api/types/network.Inspect): IPAM, options, labels and, in inspect, the
/// running containers with their endpoint.</summary>
public static class NetworksView
{
    public static Dictionary<string, object?> Show(NetworkRecord n, IEnumerable<(ContainerRecord Container, NetworkEndpoint Endpoint)>? attached)
    {
        var ipam = n.Subnet is null
            ? new List<Dictionary<string, string>>()
            : [Ipam(n)];
        return new Dictionary<string, object?>
        {
            ["Name"] = n.Name,
            ["Id"] = n.Id,
            ["Created"] = ContainerView.Time(n.Created),
            ["Scope"] = "local",
            ["Driver"] = n.Driver,
            ["EnableIPv4"] = n.Driver == "bridge", // API 1.48
            ["EnableIPv6"] = false,
            ["IPAM"] = new Dictionary<string, object?> { ["Driver"] = "default", ["Options"] = n.IsPredefined ? null : new Dictionary<string, string>(), ["Config"] = ipam },
            ["Internal"] = n.Internal,
            ["Attachable"] = n.Attachable,
            ["Ingress"] = false,
            ["ConfigFrom"] = new { Network = "" },
            ["ConfigOnly"] = false,
            ["Containers"] = (attached ?? []).ToDictionary(a => a.Container.Id, a => new
            {
                a.Container.Name,
                a.Endpoint.EndpointId,
                a.Endpoint.MacAddress,
                IPv4Address = $"{a.Endpoint.IpAddress}/{a.Endpoint.PrefixLength}",
                IPv6Address = "",
            }),
            ["Options"] = n.Options,
            ["Labels"] = n.Labels,
        };
    }

    static Dictionary<string, string> Ipam(NetworkRecord n)
    {
        var config = new Dictionary<string, string> { ["Subnet"] = n.Subnet! };
        if (!n.GatewayPicked) config["Gateway"] = n.Gateway!;
        if (n.IpRange is { } range) config["IPRange"] = range;
        return config;
    }
}
