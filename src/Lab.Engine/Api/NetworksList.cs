using Lab.Engine.Http;
using Lab.Runtime.Containers;
using Lab.Runtime.Networks;

namespace Lab.Engine.Api;

/// <summary><c>GET /networks</c> with dockerd's filters (name, id, driver, label, scope, type, dangling) and
/// <c>GET /networks/{id}</c>.</summary>
public static class NetworksList
{
    public static IResult List(Caller caller, ContainerHost containers, string? filters)
    {
        var parsed = Filters.Parse(filters, "name", "id", "driver", "label", "scope", "type", "dangling");
        foreach (var type in parsed.Get("type"))
            if (type is not ("custom" or "builtin")) throw EngineErrors.InvalidParameter($"invalid filter: 'type'='{type}'");
        var dangling = parsed.GetBool("dangling");
        var networks = containers.Networking;
        var selected = networks.List(caller.Machine).Where(n =>
            parsed.Get("name").All(p => n.Name.Contains(p, StringComparison.Ordinal))
            && parsed.Get("id").All(p => n.Id.StartsWith(p, StringComparison.Ordinal))
            && (!parsed.Has("driver") || parsed.Get("driver").Contains(n.Driver))
            && parsed.MatchLabels("label", n.Labels)
            && parsed.Get("scope").All(s => s == "local")
            && (!parsed.Has("type") || parsed.Get("type").Contains(n.IsPredefined ? "builtin" : "custom"))
            && (dangling is null || dangling == (n.IsUserDefined && !networks.Attached(caller.Machine, n.Id).Any())));
        return EngineJson.Result(selected.Select(n => NetworksView.Show(n, null)).ToList());
    }

    public static IResult Inspect(string id, Caller caller, ContainerHost containers)
    {
        var network = containers.Networking.Get(caller.Machine, id);
        return EngineJson.Result(NetworksView.Show(network, containers.Networking.Attached(caller.Machine, network.Id)));
    }
}
