using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Lab.Engine.Api;

/// <summary>Image routes (moby daemon/server/router/image). Image names contain '/', so the routes with a name
/// are one catch-all per method, told apart by their last segment as dockerd's <c>{name:.*}</c> routes are.</summary>
public static class ImagesRoutes
{
    public static IEndpointRouteBuilder MapImages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/images/json", ImagesList.Handle);
        app.MapGet("/images/get", ImagesSave.HandleMany);
        app.MapPost("/images/load", ImagesLoad.Handle);
        app.MapPost("/images/create", ImagesCreate.Handle);
        app.MapPost("/images/prune", ImagesPrune.Handle);
        app.MapGet("/images/search", ImagesSearch.Handle);
        app.MapGet("/images/{**path}", (HttpContext context, string path) => Dispatch(context, path, new()
        {
            ["json"] = ImagesInspect.Handle,
            ["history"] = ImagesHistory.Handle,
            ["get"] = ImagesSave.HandleOne,
        }));
        app.MapPost("/images/{**path}", (HttpContext context, string path) => Dispatch(context, path, new()
        {
            ["tag"] = ImagesTag.Handle,
            ["push"] = ImagesPush.Handle,
        }));
        app.MapDelete("/images/{**name}", ImagesDelete.Handle);
        return app;
    }

    /// <summary>Splits <c>docker.io/library/busybox/json</c> into the image name and the action, and runs it.</summary>
    static Task Dispatch(HttpContext context, string path, Dictionary<string, Func<HttpContext, string, Task>> actions)
    {
        var slash = path.LastIndexOf('/');
        if (slash > 0 && actions.TryGetValue(path[(slash + 1)..], out var action))
            return action(context, path[..slash]);
        return Http.EngineErrors.WriteAsync(context, StatusCodes.Status404NotFound, "page not found");
    }
}
