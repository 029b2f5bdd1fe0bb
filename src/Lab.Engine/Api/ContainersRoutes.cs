using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Lab.Engine.Api;

/// <summary>Container and exec routes (moby daemon/server/router/container), one per line; the bulky ones
/// (create, attach, logs, exec, stats) have their own files.</summary>
public static class ContainersRoutes
{
    public static IEndpointRouteBuilder MapContainers(this IEndpointRouteBuilder app)
    {
        app.MapPost("/containers/create", ContainersCreate.Handle);
        app.MapGet("/containers/json", ContainersList.Handle);
        app.MapPost("/containers/prune", ContainersLifecycle.Prune);
        app.MapGet("/containers/{id}/json", ContainersInspect.Handle);
        app.MapPost("/containers/{id}/start", ContainersLifecycle.Start);
        app.MapPost("/containers/{id}/wait", ContainersLifecycle.Wait);
        app.MapPost("/containers/{id}/attach", ContainersAttach.Handle);
        app.MapGet("/containers/{id}/logs", ContainersLogs.Handle);
        app.MapPost("/containers/{id}/stop", ContainersLifecycle.Stop);
        app.MapPost("/containers/{id}/kill", ContainersLifecycle.Kill);
        app.MapPost("/containers/{id}/restart", ContainersLifecycle.Restart);
        app.MapPost("/containers/{id}/pause", ContainersLifecycle.Pause);
        app.MapPost("/containers/{id}/unpause", ContainersLifecycle.Unpause);
        app.MapPost("/containers/{id}/rename", ContainersLifecycle.Rename);
        app.MapPost("/containers/{id}/resize", ContainersLifecycle.Resize);
        app.MapDelete("/containers/{id}", ContainersLifecycle.Remove);
        app.MapGet("/containers/{id}/top", ContainersTop.Handle);
        app.MapGet("/containers/{id}/stats", ContainersStats.Handle);
        app.MapPost("/commit", Commit.Handle);
        app.MapGet("/containers/{id}/changes", ContainersChanges.Handle);
        app.MapGet("/containers/{id}/export", ContainersExport.Handle);
        app.MapMethods("/containers/{id}/archive", ["HEAD"], ContainersArchive.Head);
        app.MapGet("/containers/{id}/archive", ContainersArchive.Get);
        app.MapPut("/containers/{id}/archive", ContainersArchive.Put);
        app.MapPost("/containers/{id}/exec", Exec.Create);
        app.MapPost("/exec/{id}/start", Exec.Start);
        app.MapPost("/exec/{id}/resize", Exec.Resize);
        app.MapGet("/exec/{id}/json", Exec.Inspect);
        return app;
    }
}
