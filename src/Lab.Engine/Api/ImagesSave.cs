using Lab.Engine.Events;
using Lab.Engine.Http;
using Lab.Engine.Images;
using Lab.Runtime.Images.Oci;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>GET /images/get?names=…</c> and <c>GET /images/{name}/get</c>: a docker-archive tarball
/// (<c>docker save</c>), written as Docker 25+ writes it so any docker load reads it.</summary>
public static class ImagesSave
{
    public static async Task HandleMany(HttpContext context)
    {
        var names = context.Request.Query["names"].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToList();
        await SaveAsync(context, names);
    }

    public static Task HandleOne(HttpContext context, string name) => SaveAsync(context, [name]);

    static async Task SaveAsync(HttpContext context, IReadOnlyList<string> names)
    {
        var caller = Caller.From(context);
        var images = context.RequestServices.GetRequiredService<ImageCatalog>().For(caller.Machine);
        var selected = images.ForSave(names); // before the first byte: an unknown name is still a 404
        context.Response.ContentType = "application/x-tar";
        // The exporter's tar writer writes synchronously; this one response may block its thread.
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
        await new ImageExporter(images.Store).WriteDockerArchiveAsync(selected, context.Response.Body, context.RequestAborted);
        var events = context.RequestServices.GetRequiredService<EngineEvents>();
        foreach (var saved in names.Select(images.Find).OfType<EngineImage>().DistinctBy(i => i.Id))
            events.Image(caller.Machine, "save", saved.Id.ToString(), saved.Id.ToString(), saved.Labels);
    }
}
