using Lab.Engine.Events;
using Lab.Engine.Http;
using Lab.Engine.Images;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>POST /images/{name}/tag?repo=…&amp;tag=…</c> → 201, as dockerd.</summary>
public static class ImagesTag
{
    public static async Task Handle(HttpContext context, string name)
    {
        var caller = Caller.From(context);
        var images = context.RequestServices.GetRequiredService<ImageCatalog>().For(caller.Machine);
        string? repo = context.Request.Query["repo"], tag = context.Request.Query["tag"];
        await images.TagAsync(name, repo, tag, context.RequestAborted);
        var image = images.Get(name);
        var newName = Lab.Runtime.Images.Oci.Reference.Parse(repo!);
        newName = string.IsNullOrEmpty(tag) ? newName.WithDefaultTag() : newName.WithTag(tag);
        context.RequestServices.GetRequiredService<EngineEvents>()
            .Image(caller.Machine, "tag", image.Id.ToString(), newName.FamiliarString, image.Labels);
        context.Response.StatusCode = StatusCodes.Status201Created;
    }
}
