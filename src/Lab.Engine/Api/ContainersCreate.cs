using System.Text.Json;
using Lab.Engine.Containers;
using Lab.Engine.Http;
using Lab.Runtime.Containers;
using Lab.Runtime.Machines;

namespace Lab.Engine.Api;

/// <summary><c>POST /containers/create?name=…</c> → 201 <c>{"Id": …, "Warnings": []}</c>.</summary>
public static class ContainersCreate
{
    /// <summary>A create body is a few KiB; anything this large is not one.</summary>
    const int MaxBody = 1 << 20;

    public static async Task<IResult> Handle(HttpContext context, Caller caller, ContainerHost containers, IMachineHost machines)
    {
        if (context.Request.ContentLength is > MaxBody) throw EngineErrors.InvalidParameter("request body is too large for a container config");
        CreateRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<CreateRequest>(context.Request.Body, CreateRequest.Json, context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw EngineErrors.InvalidParameter($"invalid JSON: {e.Message}");
        }
        if (request is null) throw EngineErrors.InvalidParameter("config cannot be empty in order to create a container");
        var limits = machines.Find(caller.Machine)?.Limits ?? MachineLimits.Default;
        var spec = CreateValidation.ToSpec(request, context.Request.Query["name"], limits);
        spec = await containers.Volumes.ResolveMountsAsync(caller.Machine, spec, context.RequestAborted);
        ContainerRecord record;
        try { record = await containers.CreateAsync(caller.Machine, spec, context.RequestAborted); }
        catch (Lab.Runtime.LabException)
        {
            await containers.Volumes.RemoveAnonymousAsync(caller.Machine, spec.Mounts); // made for this create alone
            throw;
        }
        return EngineJson.Result(new { record.Id, Warnings = Array.Empty<string>() }, StatusCodes.Status201Created);
    }
}
