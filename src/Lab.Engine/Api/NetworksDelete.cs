using Lab.Engine.Http;
using Lab.Runtime.Containers;

namespace Lab.Engine.Api;

/// <summary><c>DELETE /networks/{id}</c> and <c>POST /networks/prune</c> (label, label!, until filters).</summary>
public static class NetworksDelete
{
    public static async Task<IResult> Remove(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        await containers.Networking.RemoveAsync(caller.Machine, id, context.RequestAborted);
        return Results.StatusCode(StatusCodes.Status204NoContent);
    }

    public static async Task<IResult> Prune(Caller caller, ContainerHost containers, string? filters, HttpContext context)
    {
        var parsed = Filters.Parse(filters, "label", "label!", "until");
        var until = parsed.Get("until").Select(Timestamps.Parse).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        var deleted = await containers.Networking.PruneAsync(caller.Machine, n =>
            n.Created <= until && parsed.MatchLabels("label", n.Labels) && parsed.MatchNoLabel("label!", n.Labels),
            context.RequestAborted);
        return EngineJson.Result(new { NetworksDeleted = deleted });
    }
}
