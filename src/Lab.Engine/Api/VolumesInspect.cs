using Lab.Engine.Http;
using Lab.Runtime.Containers;

namespace Lab.Engine.Api;

/// <summary><c>GET /volumes/{name}</c>.</summary>
public static class VolumesInspect
{
    public static IResult Handle(string name, Caller caller, ContainerHost containers) =>
        EngineJson.Result(VolumesView.Of(containers.Volumes.Get(caller.Machine, name)));
}
