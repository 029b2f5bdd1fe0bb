using Lab.Engine.Http;
using Lab.Engine.Images;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>GET /images/{name}/history</c>: the config's history, newest first; entries that made a layer
/// carry that layer's size; the newest carries the image id and tags, and so does each entry that is the last
/// of a parent image the machine still has (the steps of a local build); the others are "&lt;missing&gt;", as
/// for any pulled image in dockerd.</summary>
public static class ImagesHistory
{
    public static async Task Handle(HttpContext context, string name)
    {
        var caller = Caller.From(context);
        var images = context.RequestServices.GetRequiredService<ImageCatalog>().For(caller.Machine);
        var all = images.List();
        var image = all.FirstOrDefault(i => i.Id == images.Get(name).Id) ?? images.Get(name);
        await EngineJson.Result(Build(image, all)).ExecuteAsync(context);
    }

    public static IReadOnlyList<HistoryItem> Build(EngineImage image, IReadOnlyList<EngineImage>? machineImages = null)
    {
        var items = new List<HistoryItem>();
        var layer = 0;
        foreach (var entry in image.Config.History ?? [])
        {
            long size = 0;
            if (entry.EmptyLayer != true && layer < image.Manifest.Layers.Count)
                size = image.Manifest.Layers[layer++].Size;
            items.Add(new HistoryItem("<missing>", entry.Created?.ToUnixTimeSeconds() ?? 0, entry.CreatedBy ?? "",
                null, size, entry.Comment ?? ""));
        }
        // The image and its parents, each at its last history entry (counted from the oldest).
        var byId = (machineImages ?? []).ToDictionary(i => i.Id);
        for (var current = image; current is not null;
             current = current.Parent is { } parent ? byId.GetValueOrDefault(parent) : null)
        {
            var index = (current.Config.History?.Count ?? 0) - 1;
            if (index >= 0 && index < items.Count && items[index].Id == "<missing>")
                items[index] = items[index] with { Id = current.Id.ToString(), Tags = current.RepoTags };
        }
        items.Reverse();
        return items;
    }
}

public sealed record HistoryItem(string Id, long Created, string CreatedBy, IReadOnlyList<string>? Tags, long Size, string Comment);
