using System.Text.RegularExpressions;
using Lab.Engine.Http;
using Lab.Runtime.Containers;
using Lab.Runtime.Volumes;

namespace Lab.Engine.Api;

/// <summary><c>GET /volumes</c>: filters dangling (no container uses it), name (a regular expression, matched
/// anywhere, as dockerd's filters.Match), label, driver.</summary>
public static class VolumesList
{
    public static IResult Handle(Caller caller, ContainerHost containers, string? filters)
    {
        var parsed = Filters.Parse(filters, "dangling", "name", "label", "driver");
        var volumes = containers.Volumes;
        var dangling = parsed.GetBool("dangling");
        var list = volumes.List(caller.Machine)
            .Where(v => dangling is null || (volumes.UsersOf(caller.Machine, v.Name).Count == 0) == dangling)
            .Where(v => parsed.Get("name").Count == 0 || parsed.Get("name").Any(n => NameMatches(n, v.Name)))
            .Where(v => parsed.Get("driver").Count == 0 || parsed.Get("driver").Contains(v.Driver))
            .Where(v => parsed.MatchLabels("label", v.Labels))
            .Select(VolumesView.Of).ToList();
        return EngineJson.Result(new { Volumes = list, Warnings = (string[]?)null });
    }

    static bool NameMatches(string pattern, string name)
    {
        try { return Regex.IsMatch(name, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100)); }
        catch (ArgumentException) { return name.Contains(pattern, StringComparison.Ordinal); }
    }
}
