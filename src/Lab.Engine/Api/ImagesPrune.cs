using Lab.Engine.Events;
using Lab.Engine.Http;
using Lab.Engine.Images;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>POST /images/prune</c>: dangling images by default, all unused ones with <c>dangling=false</c>
/// (<c>docker image prune -a</c>); label and until filters as dockerd.</summary>
public static class ImagesPrune
{
    public static async Task<IResult> Handle(Caller caller, ImageCatalog catalog, EngineEvents events, string? filters, HttpContext context)
    {
        var parsed = Filters.Parse(filters, "dangling", "label", "label!", "until");
        var images = catalog.For(caller.Machine);
        var all = parsed.GetBool("dangling") == false;
        var until = parsed.Get("until").Select(Timestamps.Parse).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        var report = await images.PruneAsync(all, image =>
            image.Created <= until
            && parsed.MatchLabels("label", image.Labels)
            && parsed.MatchNoLabel("label!", image.Labels),
            context.RequestAborted);
        events.Deletions(caller.Machine, report.ImagesDeleted ?? [], null);
        return EngineJson.Result(report);
    }
}
