using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Lab.Engine.Api;

/// <summary>Volume routes (moby daemon/server/router/volume), one per line.</summary>
public static class VolumesRoutes
{
    public static IEndpointRouteBuilder MapVolumes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/volumes", VolumesList.Handle);
        app.MapPost("/volumes/create", VolumesCreate.Handle);
        app.MapPost("/volumes/prune", VolumesPrune.Handle);
        app.MapGet("/volumes/{name}", VolumesInspect.Handle);
        app.MapDelete("/volumes/{name}", VolumesDelete.Handle);
        return app;
    }
}
