using System.Net.Http.Headers;
using Lab.Engine.Registry.Server;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Registry.Auth;

/// <summary>The token endpoint of Docker's token authentication spec. <c>GET /token?service=&amp;scope=</c> with
/// optional Basic credentials is what <c>docker login</c>, dockerd and skopeo do after a challenge;
/// <c>POST /token</c> with an OAuth2 password grant (form fields) is what containerd-based clients try first.
/// Anonymous requests get a token for what anyone may do; wrong credentials get 401. Each requested scope is
/// granted only the actions the policy allows; the rest is left out, as the spec says. A signed-in client that
/// asks for offline access (GET's <c>offline_token=true</c>, POST's <c>access_type=offline</c>: dockerd's login does)
/// also gets a refresh token, which it exchanges later with POST's <c>refresh_token</c> grant instead of sending
/// the password again: dockerd hands it to the CLI as the login's identity token.</summary>
public static class TokenEndpoint
{
    public static async Task<IResult> GetAsync(HttpContext context, IRegistryAccounts accounts, RegistryPolicy policy,
        RegistryTokens tokens)
    {
        RegistryUser? user = null;
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            if (!AuthenticationHeaderValue.TryParse(header, out var auth) || !auth.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
                throw new RegistryException(RegistryErrorCode.Unauthorized, "the token endpoint takes Basic credentials");
            user = await RegistryAuthorizer.VerifyBasicAsync(auth.Parameter, accounts, context.RequestAborted)
                ?? throw new RegistryException(RegistryErrorCode.Unauthorized, "incorrect username or password");
        }
        var query = context.Request.Query;
        var offline = user is not null && query["offline_token"].ToString() == "true";
        return await IssueAsync(context, user, query["service"].ToString(), query["scope"].Select(s => s ?? ""), policy, tokens, offline);
    }

    public static async Task<IResult> PostAsync(HttpContext context, IRegistryAccounts accounts, RegistryPolicy policy,
        RegistryTokens tokens)
    {
        if (!context.Request.HasFormContentType)
            return OAuthError("invalid_request", "send the grant as application/x-www-form-urlencoded");
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        RegistryUser user;
        switch (form["grant_type"].ToString())
        {
            case "password":
                user = await accounts.VerifyAsync(form["username"].ToString(), form["password"].ToString(), context.RequestAborted)
                    ?? throw new RegistryException(RegistryErrorCode.Unauthorized, "incorrect username or password");
                break;
            case "refresh_token":
                if (await RefreshedUserAsync(form["refresh_token"].ToString(), accounts, tokens, context.RequestAborted) is not { } refreshed)
                    return OAuthError("invalid_grant", "the refresh token is invalid or has expired: run docker login again", StatusCodes.Status401Unauthorized);
                user = refreshed;
                break;
            default:
                return OAuthError("unsupported_grant_type", "only the password and refresh_token grants are supported");
        }
        // A refresh grant answers without a new refresh token: the one the client holds stays valid.
        var offline = form["access_type"].ToString() == "offline" && form["grant_type"].ToString() == "password";
        return await IssueAsync(context, user, form["service"].ToString(), form["scope"].Select(s => s ?? ""), policy, tokens, offline);
    }

    /// <summary>The user of a refresh token, when the account still exists, is not locked out and has the password
    /// (security stamp) the token was issued under.</summary>
    static async Task<RegistryUser?> RefreshedUserAsync(string token, IRegistryAccounts accounts, RegistryTokens tokens, CancellationToken ct)
    {
        if (tokens.ValidateRefresh(token) is not { } claims) return null;
        var user = await accounts.FindAsync(claims.Subject, ct);
        return user is not null && user.Stamp == claims.Stamp ? user : null;
    }

    static async Task<IResult> IssueAsync(HttpContext context, RegistryUser? user, string service, IEnumerable<string> scopes,
        RegistryPolicy policy, RegistryTokens tokens, bool offline)
    {
        if (service.Length > 0 && service != tokens.Service)
            throw new RegistryException(RegistryErrorCode.Unauthorized, $"this token endpoint serves '{tokens.Service}', not '{service}'");

        var grants = new List<RegistryGrant>();
        foreach (var scope in scopes.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (RegistryGrant.ParseScope(scope) is not { Type: RegistryGrant.RepositoryType } requested) continue;
            RepositoryName repo;
            try
            {
                repo = RepositoryName.Parse(requested.Name);
            }
            catch (RegistryException)
            {
                continue;
            }
            var allowed = new List<string>();
            foreach (var action in requested.Actions.Distinct())
                if (await policy.AllowsAsync(user, repo, action, context.RequestAborted))
                    allowed.Add(action);
            if (allowed.Count > 0) grants.Add(new RegistryGrant(RegistryGrant.RepositoryType, repo.Path, allowed));
        }

        var issued = tokens.Issue(user, grants);
        return Results.Json(new
        {
            token = issued.Token,
            access_token = issued.Token,
            scope = string.Join(' ', grants.Select(g => g.Scope)),
            expires_in = (int)issued.Lifetime.TotalSeconds,
            issued_at = issued.IssuedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            refresh_token = offline && user is not null ? tokens.IssueRefresh(user) : null,
        }, OmitNulls);
    }

    static readonly System.Text.Json.JsonSerializerOptions OmitNulls = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    static IResult OAuthError(string error, string description, int status = StatusCodes.Status400BadRequest) =>
        Results.Json(new { error, error_description = description }, statusCode: status);
}
