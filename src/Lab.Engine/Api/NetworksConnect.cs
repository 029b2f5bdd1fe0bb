using System.Text.Json;
using Lab.Engine.Http;
using Lab.Runtime.Containers;
using Lab.Runtime.Networks;

namespace Lab.Engine.Api;

/// <summary><c>POST /networks/{id}/connect</c> (aliases, --ip, links) and <c>/disconnect</c>.</summary>
public static class NetworksConnect
{
    public sealed record Request(string? Container, EndpointSettingsRequest? EndpointConfig, bool Force);

    static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public static async Task<IResult> Connect(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        var request = await ReadAsync(context);
        var settings = request.EndpointConfig?.ToSpec(id);
        await containers.ConnectAsync(caller.Machine, request.Container!, id, settings, context.RequestAborted);
        return Results.Ok();
    }

    public static async Task<IResult> Disconnect(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        var request = await ReadAsync(context);
        await containers.DisconnectAsync(caller.Machine, request.Container!, id, request.Force, context.RequestAborted);
        return Results.Ok();
    }

    static async Task<Request> ReadAsync(HttpContext context)
    {
        Request? request;
        try { request = await JsonSerializer.DeserializeAsync<Request>(context.Request.Body, Json, context.RequestAborted); }
        catch (JsonException e) { throw EngineErrors.InvalidParameter($"invalid JSON: {e.Message}"); }
        if (string.IsNullOrEmpty(request?.Container)) throw EngineErrors.InvalidParameter("no container specified");
        return request;
    }
}

/// <summary>moby's network.EndpointSettings as a client sends it (create's EndpointsConfig, connect's EndpointConfig).</summary>
public sealed record EndpointSettingsRequest
{
    public IpamSettingsRequest? IPAMConfig { get; init; }
    public IReadOnlyList<string>? Aliases { get; init; }
    public IReadOnlyList<string>? Links { get; init; }

    public EndpointSpec ToSpec(string network) => new()
    {
        NetworkId = network,
        Aliases = Aliases ?? [],
        IpAddress = string.IsNullOrEmpty(IPAMConfig?.IPv4Address) ? null : IPAMConfig.IPv4Address,
        Links = Links ?? [],
    };
}

public sealed record IpamSettingsRequest(string? IPv4Address, string? IPv6Address);
