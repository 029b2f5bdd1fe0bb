using Lab.Engine.Events;
using Lab.Engine.Http;
using Lab.Engine.Images;
using Lab.Engine.Registry.Client;
using Lab.Runtime;
using Lab.Runtime.Images.Oci;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>POST /images/{name}/push?tag=…</c> (docker push): the machine's image goes to its registry
/// (docker.io = the classroom registry) with the credentials of X-Registry-Auth, as dockerd's JSON progress
/// stream, which the CLI draws. Without a tag every tag of the repository goes (<c>docker push -a</c>). As in
/// dockerd, an error before the first progress line is an HTTP error (an unknown image is a 404); later ones
/// (the registry's "denied: requested access to the resource is denied") end the stream.</summary>
public static class ImagesPush
{
    public static async Task Handle(HttpContext context, string name)
    {
        var caller = Caller.From(context);
        var images = context.RequestServices.GetRequiredService<ImageCatalog>().For(caller.Machine);
        var targets = Targets(images, name, context.Request.Query["tag"]);
        var client = context.RequestServices.GetRequiredService<PullSource>().Client();
        var events = context.RequestServices.GetRequiredService<EngineEvents>();
        var credentials = ImagesCreate.Credentials(context.Request.Headers["X-Registry-Auth"]);

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        LabException? failure = null;
        await using (var progress = new JsonProgressWriter(context.Response.Body, context.RequestAborted))
        {
            try
            {
                foreach (var target in targets)
                {
                    await client.PushAsync(target, images.Store, images.Names, progress, credentials, context.RequestAborted);
                    events.Image(caller.Machine, "push", target.FamiliarString, target.FamiliarName, images.Find(target.ToString())?.Labels);
                }
            }
            catch (LabException e)
            {
                failure = e;
            }
            catch (HttpRequestException e)
            {
                failure = new LabException(ErrorKind.Unavailable, e.Message, e);
            }
        }
        if (failure is null) return;
        if (!context.Response.HasStarted) throw failure;
        await context.Response.Body.WriteAsync(JsonProgressWriter.Serialize(new ProgressEvent(null) { Error = failure.Message }));
        await context.Response.Body.WriteAsync("\r\n"u8.ToArray());
    }

    /// <summary>The names to push: name:tag, or without a tag all the machine's tags of that repository.</summary>
    static IReadOnlyList<Reference> Targets(MachineImages images, string name, string? tag)
    {
        if (!Reference.TryParse(name, out var parsed))
            throw EngineErrors.InvalidParameter($"invalid reference format: repository name ({name}) must be lowercase");
        var reference = parsed!;
        if (!string.IsNullOrEmpty(tag))
        {
            if (!Reference.TryParse($"{reference.Name}:{tag}", out var tagged))
                throw EngineErrors.InvalidParameter($"invalid tag format: {tag}");
            reference = tagged!;
        }
        if (reference.Tag is not null || reference.Digest is not null) return [reference];
        var all = images.Names.List().Select(n => n.Reference)
            .Where(r => r.Name == reference.Name && r.Tag is not null && r.Digest is null)
            .OrderBy(r => r.Tag, StringComparer.Ordinal).ToList();
        return all.Count > 0
            ? all
            : throw EngineErrors.NotFound($"An image does not exist locally with the tag: {reference.FamiliarName}");
    }
}
