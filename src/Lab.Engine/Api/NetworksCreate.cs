using System.Text.Json;
using Lab.Engine.Http;
using Lab.Runtime.Containers;
using Lab.Runtime.Networks;

namespace Lab.Engine.Api;

/// <summary><c>POST /networks/create</c> → 201 <c>{"Id": …, "Warning": ""}</c>: a bridge network with at most
/// one IPv4 IPAM config (subnet, gateway, ip-range).</summary>
public static class NetworksCreate
{
    public sealed record Request
    {
        public string? Name { get; init; }
        public string? Driver { get; init; }
        public bool Internal { get; init; }
        public bool Attachable { get; init; }
        public bool Ingress { get; init; }
        public bool ConfigOnly { get; init; }
        public bool? EnableIPv6 { get; init; }
        public IpamRequest? IPAM { get; init; }
        public IReadOnlyDictionary<string, string>? Options { get; init; }
        public IReadOnlyDictionary<string, string>? Labels { get; init; }
    }

    public sealed record IpamRequest(string? Driver, IReadOnlyList<IpamConfig>? Config);

    public sealed record IpamConfig(string? Subnet, string? IPRange, string? Gateway);

    static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    public static async Task<IResult> Handle(HttpContext context, Caller caller, ContainerHost containers)
    {
        Request? request;
        try { request = await JsonSerializer.DeserializeAsync<Request>(context.Request.Body, Json, context.RequestAborted); }
        catch (JsonException e) { throw EngineErrors.InvalidParameter($"invalid JSON: {e.Message}"); }
        if (request is null || string.IsNullOrEmpty(request.Name)) throw EngineErrors.InvalidParameter("network name cannot be empty");
        if (request.Ingress || request.ConfigOnly) throw EngineErrors.InvalidParameter("swarm networks (ingress, config-only) are not available in a lab machine");
        if (request.EnableIPv6 == true) throw EngineErrors.InvalidParameter("IPv6 is not available in a lab machine's networks");
        if (request.IPAM?.Driver is { Length: > 0 } ipamDriver && ipamDriver != "default")
            throw EngineErrors.NotFound($"plugin \"{ipamDriver}\" not found");
        var configs = request.IPAM?.Config ?? [];
        if (configs.Count > 1) throw EngineErrors.InvalidParameter("a lab machine's network takes one IPv4 subnet");
        var config = configs.FirstOrDefault();
        var network = await containers.Networking.CreateAsync(caller.Machine, new NetworkCreateRequest
        {
            Name = request.Name,
            Driver = request.Driver ?? "bridge",
            Subnet = config?.Subnet,
            Gateway = config?.Gateway,
            IpRange = config?.IPRange,
            Internal = request.Internal,
            Attachable = request.Attachable,
            Labels = request.Labels ?? new Dictionary<string, string>(),
            Options = request.Options ?? new Dictionary<string, string>(),
        }, context.RequestAborted);
        return EngineJson.Result(new { network.Id, Warning = "" }, StatusCodes.Status201Created);
    }
}
