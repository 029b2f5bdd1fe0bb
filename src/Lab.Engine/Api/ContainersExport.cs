using Lab.Engine.Http;
using Lab.Runtime.Containers;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>GET /containers/{id}/export</c> (docker export): the container's merged filesystem as a tar stream,
/// running or not.</summary>
public static class ContainersExport
{
    public static async Task Handle(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        containers.Get(caller.Machine, id); // a 404 before the stream starts
        context.Response.ContentType = "application/x-tar";
        await containers.ExportAsync(caller.Machine, id, context.Response.Body, context.RequestAborted);
    }
}
