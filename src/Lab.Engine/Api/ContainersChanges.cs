using Lab.Engine.Http;
using Lab.Runtime.Containers;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>GET /containers/{id}/changes</c> (docker diff): [{"Path": "/etc", "Kind": 0}, …], Kind 0 modified,
/// 1 added, 2 deleted.</summary>
public static class ContainersChanges
{
    public static async Task<IResult> Handle(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        var changes = await containers.ChangesAsync(caller.Machine, id, context.RequestAborted);
        return EngineJson.Result(changes.Select(c => new { c.Path, Kind = (int)c.Kind }).ToList());
    }
}
