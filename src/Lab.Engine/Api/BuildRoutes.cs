using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Lab.Engine.Api;

/// <summary>Build routes (moby daemon/server/router/build).</summary>
public static class BuildRoutes
{
    public static IEndpointRouteBuilder MapBuild(this IEndpointRouteBuilder app)
    {
        app.MapPost("/build", BuildImage.Handle);
        app.MapPost("/build/prune", BuildPrune.Handle);
        return app;
    }
}
