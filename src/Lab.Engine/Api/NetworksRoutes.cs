using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Lab.Engine.Api;

/// <summary>Network routes (moby daemon/server/router/network), one per line, and their events.</summary>
public static class NetworksRoutes
{
    public static IEndpointRouteBuilder MapNetworks(this IEndpointRouteBuilder app)
    {
        app.MapGet("/networks", NetworksList.List);
        app.MapPost("/networks/create", NetworksCreate.Handle);
        app.MapPost("/networks/prune", NetworksDelete.Prune);
        app.MapGet("/networks/{id}", NetworksList.Inspect);
        app.MapDelete("/networks/{id}", NetworksDelete.Remove);
        app.MapPost("/networks/{id}/connect", NetworksConnect.Connect);
        app.MapPost("/networks/{id}/disconnect", NetworksConnect.Disconnect);
        app.PublishNetworkEvents();
        return app;
    }
}
