using System.Text.Json;
using Lab.Engine.Events;
using Lab.Engine.Http;
using Lab.Engine.Images;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Lab.Engine.Api;

/// <summary><c>POST /images/load</c>: the body is a docker-archive or OCI layout tar (gzip or not). The answer is
/// dockerd's JSON message stream, <c>{"stream":"Loaded image: busybox:latest\n"}</c>, which the CLI prints.</summary>
public static class ImagesLoad
{
    public static async Task Handle(HttpContext context)
    {
        var caller = Caller.From(context);
        var catalog = context.RequestServices.GetRequiredService<ImageCatalog>();
        var images = catalog.For(caller.Machine);
        // An image archive is as large as its layers; the machine's disk quota bounds what it can send.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = null;
        // The importer sniffs the compression with synchronous reads; this one request may block its thread.
        context.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;

        // A load refused part-way (the disk quota, a bad archive) takes its blobs back out of the shared store.
        var lines = await catalog.UndoneOnFailureAsync(content => images.LoadAsync(context.Request.Body, content, context.RequestAborted));
        var events = context.RequestServices.GetRequiredService<EngineEvents>();
        foreach (var loaded in lines.Select(LoadedImage).OfType<string>().Select(images.Find).OfType<EngineImage>().DistinctBy(i => i.Id))
            events.Image(caller.Machine, "load", loaded.Id.ToString(), loaded.Id.ToString(), loaded.Labels);
        context.Response.ContentType = "application/json";
        foreach (var line in lines)
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { stream = line + "\n" }, EngineJson.Options) + "\r\n");
    }

    /// <summary>The image a "Loaded image: busybox:latest" or "Loaded image ID: sha256:…" line names.</summary>
    static string? LoadedImage(string line) =>
        line.StartsWith("Loaded image ID: ", StringComparison.Ordinal) ? line["Loaded image ID: ".Length..]
        : line.StartsWith("Loaded image: ", StringComparison.Ordinal) ? line["Loaded image: ".Length..]
        : null;
}
