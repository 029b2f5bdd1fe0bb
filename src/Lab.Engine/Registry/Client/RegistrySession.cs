using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Lab.Runtime;

namespace Lab.Engine.Registry.Client;

/// <summary>Requests to one registry for one operation, authenticated the way the registry asks: on a 401 it
/// follows the challenge — Bearer: a token from the realm for the scopes at hand (with Basic credentials if
/// there are any, anonymously otherwise); Basic: the credentials themselves — and sends the request again. The
/// authorization is kept for the operation's later requests, as Docker's client does. Credentials holding an
/// identity token use OAuth2's refresh_token grant instead of the password; an <paramref name="offline"/> session
/// (a login) asks the token endpoint for such a refresh token, as dockerd's login does.</summary>
sealed class RegistrySession(HttpClient http, Uri baseAddress, RegistryCredentials? credentials, IReadOnlyList<string> scopes,
    bool offline = false)
{
    /// <summary>The client id dockerd sends to token endpoints.</summary>
    const string ClientId = "docker";

    AuthenticationHeaderValue? _authorization;

    public Uri BaseAddress => baseAddress;

    /// <summary>The refresh token an offline session's token endpoint answered with, if any.</summary>
    public string? RefreshToken { get; private set; }

    /// <summary>Pings <c>/v2/</c> and answers its challenge first, so that requests with a body that cannot be
    /// sent twice (uploads) go out already authorized.</summary>
    public async Task AuthorizeAsync(CancellationToken ct)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "v2/"), ct);
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, "registry check", ct);
    }

    /// <summary>Sends the request <paramref name="make"/> builds, once more after answering a 401 challenge.</summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> make, CancellationToken ct,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var response = await SendOnceAsync(make(), completion, ct);
        if (response.StatusCode != HttpStatusCode.Unauthorized) return response;
        var challenge = AuthChallenge.Parse(response.Headers.WwwAuthenticate.ToString());
        var answered = challenge is not null && await AnswerAsync(challenge, ct);
        if (!answered) return response;
        response.Dispose();
        return await SendOnceAsync(make(), completion, ct);
    }

    async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        using (request)
        {
            request.RequestUri = new Uri(baseAddress, request.RequestUri!);
            request.Headers.Authorization = _authorization;
            try
            {
                return await http.SendAsync(request, completion, ct);
            }
            catch (HttpRequestException e)
            {
                throw new RegistryClientException(ErrorKind.Unavailable, 0, null,
                    $"Get \"{new Uri(baseAddress, "v2/")}\": {e.Message}", e);
            }
        }
    }

    async Task<bool> AnswerAsync(AuthChallenge challenge, CancellationToken ct)
    {
        var before = _authorization;
        if (challenge.IsBasic)
        {
            if (credentials is null) return false;
            _authorization = new AuthenticationHeaderValue("Basic", BasicValue(credentials));
        }
        else if (challenge.IsBearer && challenge["realm"] is { Length: > 0 } realm)
        {
            var wanted = scopes.Concat(challenge["scope"] is { Length: > 0 } s ? [s] : []).Distinct();
            _authorization = new AuthenticationHeaderValue("Bearer", await FetchTokenAsync(realm, challenge["service"], wanted, ct));
        }
        else
        {
            return false;
        }
        return before?.ToString() != _authorization.ToString();
    }

    async Task<string> FetchTokenAsync(string realm, string? service, IEnumerable<string> wanted, CancellationToken ct)
    {
        using var request = credentials?.IdentityToken is { Length: > 0 } identity
            ? RefreshRequest(realm, service, wanted, identity)
            : BasicRequest(realm, service, wanted);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryClientException(ErrorKind.Unavailable, 0, null, $"{request.Method.Method} \"{realm}\": {e.Message}", e);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                throw new RegistryClientException(ErrorKind.Forbidden, 401, "UNAUTHORIZED", credentials?.IdentityToken is { Length: > 0 }
                    ? "unauthorized: the login has expired or the password has changed: run docker login again"
                    : "unauthorized: incorrect username or password");
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, "token request", ct);
            var body = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(ct));
            if (offline && body.TryGetProperty("refresh_token", out var refresh) && refresh.ValueKind == JsonValueKind.String)
                RefreshToken = refresh.GetString();
            foreach (var name in new[] { "token", "access_token" })
                if (body.TryGetProperty(name, out var token) && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } value)
                    return value;
            throw new RegistryClientException(ErrorKind.Unavailable, 502, null, $"the token endpoint {realm} answered without a token");
        }
    }

    /// <summary>Docker's token request: GET with the scopes, Basic credentials when there are any.</summary>
    HttpRequestMessage BasicRequest(string realm, string? service, IEnumerable<string> wanted)
    {
        var query = new List<string>();
        if (service is not null) query.Add($"service={Uri.EscapeDataString(service)}");
        query.AddRange(wanted.Select(scope => $"scope={Uri.EscapeDataString(scope)}"));
        if (credentials is not null) query.Add($"account={Uri.EscapeDataString(credentials.Username)}");
        if (offline && credentials is not null) query.Add($"offline_token=true&client_id={ClientId}");
        var request = new HttpRequestMessage(HttpMethod.Get, realm + (realm.Contains('?') ? "&" : "?") + string.Join("&", query));
        if (credentials is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicValue(credentials));
        return request;
    }

    /// <summary>OAuth2's refresh_token grant: the identity token stands for the password.</summary>
    HttpRequestMessage RefreshRequest(string realm, string? service, IEnumerable<string> wanted, string identity)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", identity),
            new("client_id", ClientId),
            new("scope", string.Join(' ', wanted)),
        };
        if (service is not null) form.Add(new("service", service));
        return new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
    }

    static string BasicValue(RegistryCredentials credentials) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));

    /// <summary>The error of a failed response, from the distribution error body when there is one
    /// (<c>denied: requested access to the resource is denied</c>, as the docker CLI prints it).</summary>
    public static async Task<RegistryClientException> ErrorAsync(HttpResponseMessage response, string what, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        string? code = null, message = null;
        try
        {
            var body = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(ct));
            if (body.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                code = first.TryGetProperty("code", out var c) ? c.GetString() : null;
                message = first.TryGetProperty("message", out var m) ? m.GetString() : null;
            }
        }
        catch (JsonException)
        {
        }
        if (code is null && status is 401 or 403)
        {
            // A refusal without a body (a HEAD's): distribution's client reads the challenge's OAuth error, else
            // the status, so the CLI prints "unauthorized: authentication required" or "denied: requested access
            // to the resource is denied" as with dockerd.
            var challenge = AuthChallenge.Parse(response.Headers.WwwAuthenticate.ToString());
            var denied = challenge?["error"] == "insufficient_scope" || (challenge?["error"] != "invalid_token" && status == 403);
            code = denied ? "DENIED" : "UNAUTHORIZED";
            message = challenge?["error_description"] is { Length: > 0 } description ? description
                : denied ? "requested access to the resource is denied" : "authentication required";
        }
        var text = code is not null
            ? $"{code.ToLowerInvariant().Replace('_', ' ')}: {message}"
            : $"{what} failed: {status} {response.ReasonPhrase}";
        return new RegistryClientException(RegistryClientException.KindOf(status), status, code, text);
    }
}
