using System.Text.Json;
using Lab.Engine.Http;
using Lab.Engine.Images;
using Lab.Engine.Registry.Client;
using Lab.Runtime;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>POST /auth</c> (docker login): checks a user name and password against the registry named by
/// <c>serveraddress</c> (Docker Hub's address, or none, is the classroom registry) through its token endpoint,
/// and answers dockerd's <c>{"Status":"Login Succeeded","IdentityToken":"..."}</c>. As with dockerd, the identity
/// token is the refresh token the registry's token endpoint gave for offline access (the classroom registry
/// does; a registry that gives none leaves it empty): the CLI then keeps it instead of the password and sends it
/// back in X-Registry-Auth with each pull, push and search; the engine stores nothing.</summary>
public static partial class AuthLogin
{
    public static async Task Handle(HttpContext context, PullSource pulls)
    {
        var (username, password, server) = await ReadAsync(context);
        var domain = DomainOf(server);
        string? identityToken;
        try
        {
            identityToken = await pulls.Client().LoginAsync(domain, new RegistryCredentials(username, password), context.RequestAborted);
        }
        catch (RegistryClientException e) when (e.Kind == ErrorKind.Forbidden)
        {
            // dockerd answers a refused login with 401 and the registry's words after the URL it tried.
            var address = new RegistryEndpoints().For(domain);
            await EngineErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, $"Get \"{address}v2/\": {e.Message}");
            return;
        }
        await EngineJson.Result(new { Status = "Login Succeeded", IdentityToken = identityToken ?? "" }).ExecuteAsync(context);
    }

    /// <summary>A login is a few hundred bytes; Kestrel answers 413 past this.</summary>
    const long MaxBody = 64 * 1024;

    static async Task<(string User, string Password, string? Server)> ReadAsync(HttpContext context)
    {
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxBody;
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw EngineErrors.InvalidParameter($"invalid JSON: {e.Message}");
        }
        if (body.ValueKind != JsonValueKind.Object) throw EngineErrors.InvalidParameter("invalid JSON: the login must be an object");
        string? Field(string name) => body.TryGetProperty(name, out var value)
            ? value.ValueKind is JsonValueKind.String or JsonValueKind.Null
                ? value.GetString()
                : throw EngineErrors.InvalidParameter($"invalid JSON: {name} must be a string")
            : null;
        var user = Field("username");
        var password = Field("password");
        var server = Field("serveraddress");
        if (string.IsNullOrEmpty(user) || string.IsNullOrEmpty(password))
            throw EngineErrors.InvalidParameter("username and password are required");
        return (user, password, server);
    }

    /// <summary>The registry domain of a serveraddress: Docker Hub's names (what the CLI sends when no server
    /// is given) are docker.io, which the engine maps to the classroom registry; else host[:port].</summary>
    internal static string DomainOf(string? server)
    {
        if (string.IsNullOrWhiteSpace(server)) return "docker.io";
        var text = server.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) text = text[(scheme + 3)..];
        text = text.Split('/')[0].ToLowerInvariant();
        if (text is "index.docker.io" or "registry-1.docker.io" or "docker.io" or "registry.hub.docker.com") return "docker.io";
        return Host().IsMatch(text) ? text : throw EngineErrors.InvalidParameter($"invalid registry address: {server}");
    }

    /// <summary>A host name (labels of letters, digits and inner '-'), an IPv4 or a bracketed IPv6 address, with an
    /// optional port: what a registry domain can be (reference's domain grammar).</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.([a-z0-9]([a-z0-9-]*[a-z0-9])?))*|\[[0-9a-f:.]+\])(:[0-9]{1,5})?$")]
    private static partial System.Text.RegularExpressions.Regex Host();
}
