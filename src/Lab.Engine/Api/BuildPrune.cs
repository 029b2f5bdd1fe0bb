using System.Text.Json;
using Lab.Engine.Build;
using Lab.Engine.Http;
using Lab.Runtime;
using Lab.Runtime.Containers;

namespace Lab.Engine.Api;

/// <summary><c>POST /build/prune</c> (<c>docker builder prune</c>): the machine's build cache is forgotten, so
/// the next build runs every step again. dockerd's answer shape: the deleted cache entries and the space freed
/// (none here: layers live in the content store shared by every machine).</summary>
public static class BuildPrune
{
    public static async Task Handle(HttpContext context)
    {
        var caller = Caller.From(context);
        var services = context.RequestServices;
        var cache = BuildCache.ForMachine(services.GetRequiredService<RuntimeOptions>().DataDir, caller.Machine,
            services.GetRequiredService<ContainerHost>().Images);
        var deleted = await cache.ClearAsync(context.RequestAborted);
        await services.GetRequiredService<ContainerHost>().Images.Charge.SettleAsync(caller.Machine, context.RequestAborted);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(
            new Dictionary<string, object> { ["CachesDeleted"] = deleted, ["SpaceReclaimed"] = 0 }, EngineJson.Options) + "\n");
    }
}
