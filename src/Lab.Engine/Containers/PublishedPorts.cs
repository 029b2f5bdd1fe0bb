using System.Text.Json;
using Lab.Engine.Http;
using Lab.Runtime.Containers;

namespace Lab.Engine.Containers;

/// <summary>`-p` and the port views: HostConfig.PortBindings as the CLI sends it (<c>{"80/tcp":[{"HostIp":"",
/// "HostPort":"8080"}]}</c>) into the runtime's bindings, and the runtime's bound ports back into inspect's
/// NetworkSettings.Ports and ps's Ports, as dockerd shows them.</summary>
public static class PublishedPorts
{
    public static IReadOnlyList<PortBinding> Parse(IReadOnlyDictionary<string, JsonElement>? bindings)
    {
        var result = new List<PortBinding>();
        foreach (var (port, hosts) in bindings ?? new Dictionary<string, JsonElement>())
        {
            var key = port.Contains('/') ? port : port + "/tcp";
            if (!int.TryParse(key.Split('/')[0], out var containerPort) || containerPort is < 1 or > 65535)
                throw EngineErrors.InvalidParameter($"invalid port specification: \"{port}\"");
            if (hosts.ValueKind != JsonValueKind.Array || hosts.GetArrayLength() == 0)
            {
                result.Add(new PortBinding(key));
                continue;
            }
            foreach (var host in hosts.EnumerateArray())
            {
                if (host.ValueKind != JsonValueKind.Object)
                    throw EngineErrors.InvalidParameter($"invalid port binding for {port}: must be an object");
                var ip = StringField(host, "HostIp");
                var text = StringField(host, "HostPort");
                int hostPort = 0;
                if (text.Length > 0 && (!int.TryParse(text, out hostPort) || hostPort is < 1 or > 65535))
                    throw EngineErrors.InvalidParameter($"invalid hostPort: {text}");
                if (ip.Length > 0 && !System.Net.IPAddress.TryParse(ip, out _))
                    throw EngineErrors.InvalidParameter($"invalid IP address: {ip}");
                result.Add(new PortBinding(key, ip, hostPort));
            }
        }
        return result;
    }

    /// <summary>A string field of a binding, "" when absent; another type is the client's error, as Go's decoder says.</summary>
    static string StringField(JsonElement host, string name) =>
        !host.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? ""
        : value.ValueKind == JsonValueKind.String ? value.GetString()!
        : throw EngineErrors.InvalidParameter($"json: cannot unmarshal {value.ValueKind.ToString().ToLowerInvariant()} into Go struct field PortBinding.HostConfig.PortBindings.{name} of type string");

    /// <summary>HostConfig.PortBindings as asked.</summary>
    public static Dictionary<string, object?> Asked(ContainerSpec spec) =>
        spec.PortBindings.GroupBy(b => b.ContainerPort).ToDictionary(g => g.Key, g => (object?)g.Select(b =>
            new { HostIp = b.HostIp, HostPort = b.HostPort == 0 ? "" : b.HostPort.ToString() }).ToArray());

    /// <summary>NetworkSettings.Ports: every exposed port, with its host bindings while it runs (null otherwise).</summary>
    public static Dictionary<string, object?> Bound(ContainerRecord c)
    {
        var ports = c.Config.ExposedPorts.Concat(c.Spec.PortBindings.Select(b => b.ContainerPort)).Distinct()
            .ToDictionary(p => p, _ => (object?)null);
        foreach (var group in (c.Network?.Ports ?? []).GroupBy(b => b.ContainerPort))
            ports[group.Key] = group.Select(b => new { HostIp = b.HostIp, HostPort = b.HostPort.ToString() }).ToArray();
        return ports;
    }

    /// <summary>ps's Ports: one entry per binding (and per exposed, unpublished port).</summary>
    public static object[] Summary(ContainerRecord c)
    {
        var bound = (c.Network?.Ports ?? []).Select(b => (object)new { IP = b.HostIp, PrivatePort = b.Port, PublicPort = b.HostPort, Type = b.Protocol });
        var exposed = c.Config.ExposedPorts.Where(p => c.Network?.Ports.All(b => b.ContainerPort != p) ?? true)
            .Select(p => (object)new { PrivatePort = int.Parse(p.Split('/')[0]), Type = p.Contains('/') ? p.Split('/')[1] : "tcp" });
        return [.. bound, .. exposed];
    }
}
