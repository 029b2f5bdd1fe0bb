using Lab.Engine.Containers;
using Lab.Engine.Http;
using Lab.Engine.Images;
using Lab.Runtime.Containers;
using Lab.Runtime.Machines;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>GET /system/df?type=…</c> (moby daemon/disk_usage.go, api/types/system.DiskUsage): the caller
/// machine's images with their shared and unique sizes and container counts, its containers with SizeRw and
/// SizeRootFs, its volumes and build cache, and LayersSize (every distinct layer once). With <c>type</c> (API
/// 1.42) only the asked parts are computed; the others are null, as dockerd leaves them.</summary>
public static class SystemDf
{
    static readonly string[] Types = ["container", "image", "volume", "build-cache"];

    public static async Task<IResult> Handle(HttpContext context, Caller caller, ImageCatalog catalog, ContainerHost containers,
        IMachineHost machines)
    {
        var asked = context.Request.Query["type"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();
        foreach (var type in asked.Where(t => !Types.Contains(t)))
            throw EngineErrors.InvalidParameter($"unknown object type: {type}");
        bool Wants(string type) => asked.Count == 0 || asked.Contains(type);

        var images = catalog.For(caller.Machine).List();
        var records = containers.List(caller.Machine);
        var usage = new Dictionary<string, object?>();
        if (Wants("image"))
        {
            var layerUse = images.SelectMany(i => i.Manifest.Layers.Select(l => l.Digest).Distinct())
                .GroupBy(d => d).ToDictionary(g => g.Key, g => g.Count());
            usage["LayersSize"] = images.SelectMany(i => i.Manifest.Layers).DistinctBy(l => l.Digest).Sum(l => l.Size);
            usage["Images"] = images.Select(i => ImageSummary(i, records, layerUse, caller.Version)).ToList();
        }
        else
        {
            usage["LayersSize"] = 0L;
            usage["Images"] = null;
        }
        usage["Containers"] = Wants("container") ? ContainerSummaries(caller.Machine, records, images, machines) : null;
        usage["Volumes"] = Wants("volume")
            ? await (context.RequestServices.GetService<IVolumeDiskUsage>()?.VolumesOfAsync(caller.Machine, context.RequestAborted)
                ?? Task.FromResult<IReadOnlyList<object>>([]))
            : null;
        usage["BuildCache"] = Wants("build-cache")
            ? await (context.RequestServices.GetService<IBuildCacheDiskUsage>()?.RecordsOfAsync(caller.Machine, context.RequestAborted)
                ?? Task.FromResult<IReadOnlyList<object>>([]))
            : null;
        return EngineJson.Result(usage);
    }

    /// <summary>An image as /images/json lists it, with what df adds: how many containers use it and the bytes
    /// of its layers that other images of the machine share (the CLI prints Size - SharedSize as unique).</summary>
    static Dictionary<string, object?> ImageSummary(EngineImage image, IReadOnlyList<ContainerRecord> records,
        Dictionary<Lab.Runtime.Images.Oci.Digest, int> layerUse, ApiVersion version)
    {
        var id = image.Id.ToString();
        var summary = new Dictionary<string, object?>
        {
            ["Containers"] = records.Count(c => c.ImageId == id),
            ["Created"] = image.Created.ToUnixTimeSeconds(),
            ["Id"] = id,
            ["Labels"] = image.Config.Config?.Labels,
            ["ParentId"] = "",
            ["RepoDigests"] = image.RepoDigests,
            ["RepoTags"] = image.RepoTags,
            ["SharedSize"] = image.Manifest.Layers.DistinctBy(l => l.Digest).Where(l => layerUse[l.Digest] > 1).Sum(l => l.Size),
            ["Size"] = image.Size,
        };
        if (version < new ApiVersion(1, 44)) summary["VirtualSize"] = image.Size; // removed in API 1.44
        return summary;
    }

    static List<Dictionary<string, object?>> ContainerSummaries(string machine, IReadOnlyList<ContainerRecord> records,
        IReadOnlyList<EngineImage> images, IMachineHost machines)
    {
        var now = DateTimeOffset.UtcNow;
        var info = machines.Find(machine);
        return records.OrderByDescending(c => c.Created).Select(c =>
        {
            var summary = ContainerView.Summary(c, now);
            var rw = SystemDfSizes.WritableLayerSize(info, c);
            summary["SizeRw"] = rw;
            summary["SizeRootFs"] = rw + (images.FirstOrDefault(i => i.Id.ToString() == c.ImageId)?.Size ?? 0);
            return summary;
        }).ToList();
    }
}
