using Lab.Engine.Events;
using Lab.Engine.Http;
using Lab.Engine.Images;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>DELETE /images/{name}?force=…&amp;noprune=…</c> → the untagged/deleted lines <c>docker rmi</c> prints.</summary>
public static class ImagesDelete
{
    public static async Task<IResult> Handle(Caller caller, ImageCatalog catalog, EngineEvents events, string name, HttpContext context)
    {
        var force = QueryBool.Get(context, "force");
        var images = catalog.For(caller.Machine);
        var image = images.Find(name);
        var records = await images.DeleteAsync(name, force, context.RequestAborted, prune: !QueryBool.Get(context, "noprune"));
        events.Deletions(caller.Machine, records, image);
        return EngineJson.Result(records);
    }
}
