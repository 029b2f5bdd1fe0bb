using Lab.Engine.Http;
using Lab.Runtime.Containers;

namespace Lab.Engine.Api;

/// <summary><c>DELETE /volumes/{name}?force=</c> → 204; 409 "remove NAME: volume is in use - [ids]".</summary>
public static class VolumesDelete
{
    public static async Task<IResult> Handle(string name, Caller caller, ContainerHost containers, HttpContext context)
    {
        await containers.Volumes.RemoveAsync(caller.Machine, name, QueryBool.Get(context, "force"), context.RequestAborted);
        return Results.NoContent();
    }
}
