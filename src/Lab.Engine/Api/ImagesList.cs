using Lab.Engine.Http;
using Lab.Engine.Images;
using Lab.Runtime.Images.Oci;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>GET /images/json</c>: one summary per image id, with dockerd's filters (dangling, reference,
/// label, before, since); the untagged images later build steps were made on only with <c>all</c> (<c>docker
/// images -a</c>), as dockerd hides them.</summary>
public static class ImagesList
{
    public static IResult Handle(Caller caller, ImageCatalog catalog, string? filters, HttpContext context)
    {
        var showAll = QueryBool.Get(context, "all");
        var parsed = Filters.Parse(filters, "dangling", "reference", "label", "before", "since", "until");
        var images = catalog.For(caller.Machine);
        var all = images.List();
        var matches = Matcher(parsed, images);
        var references = parsed.Get("reference");
        // As dockerd: with a reference filter an image lists only the names that match (`docker images mybox`
        // shows mybox, not the other tags of the same image).
        return EngineJson.Result(all.Where(i => showAll || !i.IsIntermediate).Where(matches)
            .Select(i => references.Count == 0 ? i : i with { Names = i.Names.Where(n => Matches(references, n)).ToList() })
            .Select(i => Summary(i, caller.Version)).ToList());
    }

    static bool Matches(IReadOnlyCollection<string> patterns, Reference name) =>
        patterns.Any(pattern => Glob.Match(pattern, name.FamiliarName) || Glob.Match(pattern, name.FamiliarString));

    /// <summary>The filters as one predicate (also used by prune). References are matched as dockerd does, a
    /// glob against the familiar name and against name:tag.</summary>
    public static Func<EngineImage, bool> Matcher(Filters filters, MachineImages images)
    {
        var dangling = filters.GetBool("dangling");
        var before = filters.Get("before").Select(r => images.Get(r).Created).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        var since = filters.Get("since").Select(r => images.Get(r).Created).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
        var until = filters.Get("until").Select(Timestamps.Parse).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        var references = filters.Get("reference");
        return image =>
            (dangling is null || image.IsDangling == dangling)
            && image.Created < before && image.Created > since && image.Created <= until
            && filters.MatchLabels("label", image.Labels)
            && (references.Count == 0 || image.Tags.Any(name => Matches(references, name)));
    }

    static Dictionary<string, object?> Summary(EngineImage image, ApiVersion version)
    {
        var summary = new Dictionary<string, object?>
        {
            ["Containers"] = -1,
            ["Created"] = image.Created.ToUnixTimeSeconds(),
            ["Id"] = image.Id.ToString(),
            ["Labels"] = image.Config.Config?.Labels,
            ["ParentId"] = image.Parent?.ToString() ?? "",
            ["RepoDigests"] = image.RepoDigests,
            ["RepoTags"] = image.RepoTags,
            ["SharedSize"] = -1L,
            ["Size"] = image.Size,
        };
        if (version < new ApiVersion(1, 44)) summary["VirtualSize"] = image.Size; // removed in API 1.44
        return summary;
    }
}
