using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Lab.Engine.Api;

/// <summary>System routes (moby daemon/server/router/system).</summary>
public static class SystemRoutes
{
    public static IEndpointRouteBuilder MapSystem(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/_ping", ["GET", "HEAD"], SystemPing.Handle);
        app.MapGet("/version", SystemVersion.Handle);
        app.MapGet("/info", SystemInfo.Handle);
        app.MapGet("/events", EventsStream.Handle);
        app.MapGet("/system/df", SystemDf.Handle);
        app.MapPost("/auth", AuthLogin.Handle);
        return app;
    }
}
