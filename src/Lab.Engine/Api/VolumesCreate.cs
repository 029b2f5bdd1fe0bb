using System.Text.Json;
using Lab.Engine.Http;
using Lab.Runtime.Containers;

namespace Lab.Engine.Api;

/// <summary><c>POST /volumes/create</c> <c>{"Name","Driver","DriverOpts","Labels"}</c> → 201 with the volume.</summary>
public static class VolumesCreate
{
    public static async Task<IResult> Handle(HttpContext context, Caller caller, ContainerHost containers)
    {
        VolumeCreateRequest? request;
        try
        {
            request = context.Request.ContentLength == 0 ? new VolumeCreateRequest()
                : await JsonSerializer.DeserializeAsync<VolumeCreateRequest>(context.Request.Body,
                    Containers.CreateRequest.Json, context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw EngineErrors.InvalidParameter($"invalid JSON: {e.Message}");
        }
        request ??= new VolumeCreateRequest();
        var volume = await containers.Volumes.CreateAsync(caller.Machine, request.Name, request.Driver, request.Labels,
            request.DriverOpts, ct: context.RequestAborted);
        return EngineJson.Result(VolumesView.Of(volume), StatusCodes.Status201Created);
    }
}

public sealed record VolumeCreateRequest
{
    public string? Name { get; init; }
    public string? Driver { get; init; }
    public IReadOnlyDictionary<string, string>? DriverOpts { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
