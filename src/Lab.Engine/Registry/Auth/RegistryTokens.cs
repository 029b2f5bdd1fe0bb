using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lab.Engine.Registry.Auth;

/// <summary>Bearer tokens of the registry's token endpoint (Docker's token authentication spec), as JWTs signed
/// with HMAC-SHA256 under a key kept in a 0600 file under LAB_DATA, so tokens survive a restart and mean nothing
/// to another Lab. The token carries who it was issued to and the access granted at issue time; clients treat
/// it as opaque. A refresh token (OAuth2's, what dockerd keeps as a login's identity token so that the client
/// stores no password) is signed the same way for another audience, so it never passes as a bearer token; it
/// carries the account's security stamp, which a password change renews, ending every refresh token issued
/// before.</summary>
public sealed class RegistryTokens
{
    const string Issuer = "lab-registry";
    static readonly byte[] Header = Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}""");
    readonly byte[] _key;

    /// <summary>How long a login's identity token lasts: a term, as a browser session's "remember me" would.</summary>
    public static readonly TimeSpan RefreshLifetime = TimeSpan.FromDays(90);

    public RegistryTokens(string keyFile, string service, TimeSpan lifetime, TimeProvider? clock = null)
    {
        _key = LoadOrCreateKey(keyFile);
        Service = service;
        Lifetime = lifetime;
        Clock = clock ?? TimeProvider.System;
    }

    public string Service { get; }
    public TimeSpan Lifetime { get; }
    TimeProvider Clock { get; }

    public IssuedToken Issue(RegistryUser? user, IReadOnlyList<RegistryGrant> access)
    {
        var now = Clock.GetUtcNow();
        var claims = Claims(Service, user?.Name ?? "", now, Lifetime) with { Roles = user?.Roles.ToList() ?? [], Access = access };
        return new IssuedToken(Sign(claims), now, Lifetime);
    }

    /// <summary>A refresh token for <paramref name="user"/>: no access of its own, only the right to ask for
    /// access tokens later (OAuth2's refresh_token grant) while the account and its security stamp are unchanged.</summary>
    public string IssueRefresh(RegistryUser user) =>
        Sign(Claims(RefreshAudience, user.Name, Clock.GetUtcNow(), RefreshLifetime) with { Stamp = user.Stamp });

    /// <summary>The claims of an access token this registry signed and that has not expired; null otherwise.</summary>
    public TokenClaims? Validate(string token) => Validate(token, Service);

    /// <summary>The claims of a refresh token this registry signed and that has not expired; null otherwise.</summary>
    public TokenClaims? ValidateRefresh(string token) => Validate(token, RefreshAudience);

    string RefreshAudience => Service + "#refresh";

    TokenClaims Claims(string audience, string subject, DateTimeOffset now, TimeSpan lifetime) => new()
    {
        Issuer = Issuer,
        Audience = audience,
        Subject = subject,
        IssuedAt = now.ToUnixTimeSeconds(),
        NotBefore = now.ToUnixTimeSeconds(),
        Expires = (now + lifetime).ToUnixTimeSeconds(),
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
    };

    string Sign(TokenClaims claims)
    {
        var signingInput = $"{Base64Url(Header)}.{Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims))}";
        return $"{signingInput}.{Base64Url(Sign(signingInput))}";
    }

    TokenClaims? Validate(string token, string audience)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return null;
        byte[] signature, payload;
        try
        {
            signature = FromBase64Url(parts[2]);
            payload = FromBase64Url(parts[1]);
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(signature, Sign($"{parts[0]}.{parts[1]}"))) return null;
        TokenClaims? claims;
        try
        {
            claims = JsonSerializer.Deserialize<TokenClaims>(payload);
        }
        catch (JsonException)
        {
            return null;
        }
        var now = Clock.GetUtcNow().ToUnixTimeSeconds();
        return claims is not null && claims.Audience == audience && claims.Expires > now && claims.NotBefore <= now + 60
            ? claims
            : null;
    }

    byte[] Sign(string input) => HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(input));

    static byte[] LoadOrCreateKey(string path)
    {
        if (File.Exists(path)) return File.ReadAllBytes(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = RandomNumberGenerator.GetBytes(32);
        var temp = $"{path}.{Guid.NewGuid():N}";
        using (var file = new FileStream(temp, new FileStreamOptions
               {
                   Mode = FileMode.CreateNew, Access = FileAccess.Write,
                   UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
               }))
        {
            file.Write(key);
            file.Flush(flushToDisk: true);
        }
        try
        {
            File.Move(temp, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp); // another server created it first: use theirs
        }
        return File.ReadAllBytes(path);
    }

    static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s + new string('=', (4 - s.Length % 4) % 4));
    }
}

/// <summary>A token and when it was issued, as the token endpoint answers it.</summary>
public sealed record IssuedToken(string Token, DateTimeOffset IssuedAt, TimeSpan Lifetime);

/// <summary>The JWT claims of a registry token.</summary>
public sealed record TokenClaims
{
    [JsonPropertyName("iss")] public string Issuer { get; init; } = "";
    [JsonPropertyName("aud")] public string Audience { get; init; } = "";
    [JsonPropertyName("sub")] public string Subject { get; init; } = "";
    [JsonPropertyName("roles")] public IReadOnlyList<string> Roles { get; init; } = [];
    [JsonPropertyName("access")] public IReadOnlyList<RegistryGrant> Access { get; init; } = [];
    [JsonPropertyName("iat")] public long IssuedAt { get; init; }
    [JsonPropertyName("nbf")] public long NotBefore { get; init; }
    [JsonPropertyName("exp")] public long Expires { get; init; }
    [JsonPropertyName("jti")] public string Id { get; init; } = "";

    /// <summary>A refresh token's account security stamp; absent from access tokens.</summary>
    [JsonPropertyName("stamp"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Stamp { get; init; }

    public RegistryUser? User => Subject.Length == 0 ? null : new RegistryUser(Subject, Roles);

    public bool Grants(string repository, string action) =>
        Access.Any(a => a.Type == RegistryGrant.RepositoryType && a.Name == repository && a.Actions.Contains(action));
}
