using Lab.Engine.Http;
using Lab.Runtime.Containers;

namespace Lab.Engine.Api;

/// <summary><c>POST /volumes/prune</c>: unused volumes matching the label filters. From API 1.42 only anonymous
/// ones unless <c>all=true</c> (`docker volume prune -a`); older clients prune every unused volume, as dockerd.</summary>
public static class VolumesPrune
{
    public static async Task<IResult> Handle(Caller caller, ContainerHost containers, string? filters, HttpContext context)
    {
        var parsed = Filters.Parse(filters, "label", "label!", "all");
        // API 1.42 added the `all` filter and made anonymous-only the default.
        var all = caller.Version < new ApiVersion(1, 42) || parsed.GetBool("all") == true;
        var (deleted, reclaimed) = await containers.Volumes.PruneAsync(caller.Machine, all,
            v => parsed.MatchLabels("label", v.Labels) && parsed.MatchNoLabel("label!", v.Labels), context.RequestAborted);
        return EngineJson.Result(new { VolumesDeleted = deleted.Count == 0 ? null : deleted, SpaceReclaimed = reclaimed });
    }
}
