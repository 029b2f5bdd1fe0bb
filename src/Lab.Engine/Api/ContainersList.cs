using Lab.Engine.Containers;
using Lab.Engine.Http;
using Lab.Runtime.Containers;

namespace Lab.Engine.Api;

/// <summary><c>GET /containers/json</c>: running containers, or all with <c>all=1</c>; newest first; dockerd's
/// filters (id, name, label, status, exited, ancestor, before, since) and <c>limit</c>.</summary>
public static class ContainersList
{
    public static IResult Handle(HttpContext context, Caller caller, ContainerHost containers, Images.ImageCatalog catalog, string? filters)
    {
        var parsed = Filters.Parse(filters, "id", "name", "label", "status", "exited", "ancestor", "before", "since", "network");
        var all = QueryBool.Get(context, "all") || parsed.Has("status") || parsed.Has("exited");
        var records = containers.List(caller.Machine).OrderByDescending(c => c.Created).ToList();
        foreach (var status in parsed.Get("status"))
            if (status is not ("created" or "restarting" or "running" or "removing" or "paused" or "exited" or "dead"))
                throw EngineErrors.InvalidParameter($"invalid filter 'status={status}'");
        var before = parsed.Get("before").Select(r => containers.Get(caller.Machine, r).Created).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        var since = parsed.Get("since").Select(r => containers.Get(caller.Machine, r).Created).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        var ancestors = parsed.Get("ancestor").Select(a => catalog.For(caller.Machine).Find(a)?.Id.ToString()).ToList();
        var exited = parsed.Get("exited").Select(e => int.TryParse(e, out var code) ? code : throw EngineErrors.InvalidParameter($"invalid filter 'exited={e}'")).ToList();

        var selected = records.Where(c =>
            (all || c.State.Running)
            && parsed.Get("id").All(p => c.Id.StartsWith(p, StringComparison.Ordinal))
            && parsed.Get("name").All(p => NameMatches(p, c.Name))
            && parsed.MatchLabels("label", c.Config.Labels)
            && (!parsed.Has("status") || parsed.Get("status").Contains(c.State.Status))
            && (exited.Count == 0 || c.State.Status == ContainerStatus.Exited && exited.Contains(c.State.ExitCode))
            && (ancestors.Count == 0 || ancestors.Contains(c.ImageId) || parsed.Get("ancestor").Contains(c.ImageName))
            && c.Created < before && c.Created > since
            && parsed.Get("network").All(n => OnNetwork(c, n)));
        if (int.TryParse(context.Request.Query["limit"], out var limit) && limit > 0) selected = selected.Take(limit);
        var now = DateTimeOffset.UtcNow;
        return EngineJson.Result(selected.Select(c => ContainerView.Summary(c, now, caller.Version)).ToList());
    }

    /// <summary>dockerd's network filter: a network's name or id (prefix) among the container's.</summary>
    static bool OnNetwork(ContainerRecord c, string network)
    {
        var networks = ContainerView.Networks(c);
        return networks.ContainsKey(network)
            || (c.Spec.Endpoints ?? []).Any(e => e.NetworkId.StartsWith(network, StringComparison.Ordinal) && network.Length > 0);
    }

    /// <summary>dockerd matches name filters as regular expressions against "/name".</summary>
    static bool NameMatches(string pattern, string name)
    {
        try
        {
            return System.Text.RegularExpressions.Regex.IsMatch("/" + name, pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException)
        {
            throw EngineErrors.InvalidParameter($"invalid filter 'name={pattern}': not a regular expression");
        }
    }
}
