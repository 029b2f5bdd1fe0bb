using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Lab.Engine.Tests.Registry.Support;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Tests.Registry.Server;

/// <summary>Who may pull and push where, and Docker's token flow (challenge → token endpoint with Basic
/// credentials → bearer token).</summary>
public sealed class AuthTests : IAsyncLifetime
{
    RegistryTestServer _registry = null!;
    FileContentStore _local = null!;

    public async Task InitializeAsync()
    {
        _registry = await RegistryTestServer.StartAsync();
        _local = new FileContentStore(Path.Combine(_registry.Root, "local"));
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    static async Task<string> ErrorCode(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync()).GetProperty("errors")[0].GetProperty("code").GetString()!;

    async Task<string> TokenAsync(string? user, string password, params string[] scopes)
    {
        using var http = _registry.CreateClient();
        var query = string.Join("&", scopes.Select(s => $"scope={Uri.EscapeDataString(s)}").Prepend("service=lab-registry"));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/token?{query}");
        if (user is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync()).GetProperty("token").GetString()!;
    }

    async Task<JsonElement> OfflineLoginAsync(string user)
    {
        using var http = _registry.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/token?service=lab-registry&offline_token=true&client_id=docker");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{TestAccounts.PasswordOf(user)}")));
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
    }

    async Task<HttpResponseMessage> RefreshAsync(string refreshToken, string scope)
    {
        using var http = _registry.CreateClient();
        return await http.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["service"] = "lab-registry",
            ["client_id"] = "docker", ["scope"] = scope,
        }));
    }

    static Action<HttpRequestMessage> Bearer(string token) => r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

    [Fact]
    public async Task An_anonymous_push_is_challenged_with_the_scope_to_ask_for()
    {
        using var anonymous = new RegistryHttp(_registry);

        using var response = await anonymous.SendAsync(HttpMethod.Post, "/v2/alice/app/blobs/uploads/");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("UNAUTHORIZED", await ErrorCode(response));
        Assert.Equal($"Bearer realm=\"{_registry.BaseAddress}token\",service=\"lab-registry\",scope=\"repository:alice/app:pull,push\"",
            response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("bob", "alice/app")]       // another student's namespace
    [InlineData("alice", "library/tool")]  // the base images
    [InlineData("alice", "class1/app")]    // a class namespace
    [InlineData("carol", "alice/app")]     // an instructor, into a student's namespace
    [InlineData("carol", "class2/app")]    // an instructor, into another instructor's class
    [InlineData("carol", "no-class/app")]  // an instructor, into a namespace nobody owns
    [InlineData("root", "alice/app")]      // an admin, into a student's namespace
    public async Task Pushing_where_the_account_may_not_is_DENIED(string user, string repo)
    {
        using var http = new RegistryHttp(_registry, user);

        using var response = await http.SendAsync(HttpMethod.Post, $"/v2/{repo}/blobs/uploads/");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("DENIED", await ErrorCode(response));
    }

    [Theory]
    [InlineData("alice", "alice/app")]
    [InlineData("carol", "class1/app")]
    [InlineData("carol", "library/tool")]
    [InlineData("root", "library/tool")]
    [InlineData("dave", "class2/app")]
    [InlineData("root", "class2/app")]
    [InlineData("root", "no-class/app")]
    public async Task Users_push_into_their_own_namespace_and_instructors_into_their_classes_and_the_library(string user, string repo)
    {
        using var http = new RegistryHttp(_registry, user);
        var image = await TestImage.WriteAsync(_local, $"{user}-{repo}");

        await http.PushImageAsync(_local, image, repo, "v1");

        using var bob = new RegistryHttp(_registry, "bob");
        using var pulled = await bob.SendAsync(HttpMethod.Get, $"/v2/{repo}/manifests/v1");
        Assert.Equal(image.Digest.ToString(), pulled.Headers.GetValues("Docker-Content-Digest").Single());
    }

    [Fact]
    public async Task Anyone_pulls_the_library_but_only_Lab_users_pull_the_rest()
    {
        using var carol = new RegistryHttp(_registry, "carol");
        var image = await TestImage.WriteAsync(_local, "public");
        await carol.PushImageAsync(_local, image, "library/tool", "1");
        await carol.PushImageAsync(_local, image, "class1/tool", "1");
        using var anonymous = new RegistryHttp(_registry);

        using var library = await anonymous.SendAsync(HttpMethod.Get, "/v2/tool/manifests/1");
        using var other = await anonymous.SendAsync(HttpMethod.Get, "/v2/class1/tool/manifests/1");
        using var catalog = await anonymous.SendAsync(HttpMethod.Get, "/v2/_catalog");

        Assert.Equal(HttpStatusCode.OK, library.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        Assert.Contains("scope=\"repository:class1/tool:pull\"", other.Headers.WwwAuthenticate.ToString());
        Assert.Equal("""{"repositories":["library/tool"]}""", await catalog.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_token_from_the_token_endpoint_carries_the_push_it_was_granted()
    {
        var token = await TokenAsync("alice", "alice-secret", "repository:alice/app:pull,push");
        using var anonymous = new RegistryHttp(_registry);

        using var start = await anonymous.SendAsync(HttpMethod.Post, "/v2/alice/app/blobs/uploads/", configure: Bearer(token));
        using var elsewhere = await anonymous.SendAsync(HttpMethod.Post, "/v2/alice/other/blobs/uploads/", configure: Bearer(token));

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        // Allowed, but not in this token: ask for a token with that scope.
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.StatusCode);
        Assert.Contains("scope=\"repository:alice/other:pull,push\"", elsewhere.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_token_asked_for_someone_elses_namespace_grants_nothing_there()
    {
        var token = await TokenAsync("bob", "bob-secret", "repository:alice/app:pull,push");
        using var anonymous = new RegistryHttp(_registry);

        using var response = await anonymous.SendAsync(HttpMethod.Post, "/v2/alice/app/blobs/uploads/", configure: Bearer(token));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("DENIED", await ErrorCode(response));
    }

    [Fact]
    public async Task Wrong_passwords_and_forged_tokens_are_refused()
    {
        using var http = _registry.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/token?service=lab-registry");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("alice:wrong"u8.ToArray()));
        using var wrongPassword = await http.SendAsync(request);
        var token = await TokenAsync("alice", "alice-secret", "repository:alice/app:pull,push");
        var parts = token.Split('.');
        var claims = Encoding.UTF8.GetString(Convert.FromBase64String(parts[1].Replace('-', '+').Replace('_', '/') + new string('=', (4 - parts[1].Length % 4) % 4)));
        var forgedClaims = Convert.ToBase64String(Encoding.UTF8.GetBytes(claims.Replace("alice/app", "bobs/app"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        using var anonymous = new RegistryHttp(_registry);

        using var forged = await anonymous.SendAsync(HttpMethod.Post, "/v2/bobs/app/blobs/uploads/", configure: Bearer($"{parts[0]}.{forgedClaims}.{parts[2]}"));

        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Contains("invalid or has expired", await forged.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_token_key_is_kept_private_under_the_data_dir()
    {
        await TokenAsync(null, "");

        var key = new FileInfo(_registry.Options.KeyFile);
        Assert.StartsWith(_registry.Options.DataDir, key.FullName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, key.UnixFileMode);
        Assert.Equal(32, key.Length);
    }

    [Fact]
    public async Task The_OAuth2_password_grant_gives_the_same_kind_of_token()
    {
        using var http = _registry.CreateClient();
        using var granted = await http.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["service"] = "lab-registry", ["client_id"] = "test",
            ["username"] = "alice", ["password"] = "alice-secret", ["scope"] = "repository:alice/app:pull,push repository:bob/app:push",
        }));
        using var refused = await http.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "alice", ["password"] = "wrong",
        }));
        var body = JsonSerializer.Deserialize<JsonElement>(await granted.Content.ReadAsStringAsync());
        using var anonymous = new RegistryHttp(_registry);

        using var start = await anonymous.SendAsync(HttpMethod.Post, "/v2/alice/app/blobs/uploads/", configure: Bearer(body.GetProperty("access_token").GetString()!));

        Assert.Equal("repository:alice/app:pull,push", body.GetProperty("scope").GetString());
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task An_offline_login_gets_a_refresh_token_that_buys_access_tokens_but_is_not_one()
    {
        var refresh = (await OfflineLoginAsync("alice")).GetProperty("refresh_token").GetString()!;

        using var asBearer = new RegistryHttp(_registry);
        using var refused = await asBearer.SendAsync(HttpMethod.Post, "/v2/alice/app/blobs/uploads/", configure: Bearer(refresh));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var granted = await RefreshAsync(refresh, "repository:alice/app:pull,push");
        Assert.True(granted.IsSuccessStatusCode, await granted.Content.ReadAsStringAsync());
        var body = JsonSerializer.Deserialize<JsonElement>(await granted.Content.ReadAsStringAsync());
        Assert.Equal("repository:alice/app:pull,push", body.GetProperty("scope").GetString());
        Assert.False(body.TryGetProperty("refresh_token", out _));
        using var upload = await asBearer.SendAsync(HttpMethod.Post, "/v2/alice/app/blobs/uploads/",
            configure: Bearer(body.GetProperty("access_token").GetString()!));
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
    }

    [Fact]
    public async Task Refresh_tokens_end_with_a_password_change_and_anonymous_callers_get_none()
    {
        var refresh = (await OfflineLoginAsync("bob")).GetProperty("refresh_token").GetString()!;
        _registry.Accounts.ChangePassword("bob", "changed");

        using var refused = await RefreshAsync(refresh, "repository:bob/app:pull");
        using var forged = await RefreshAsync(refresh[..^4] + "AAAA", "repository:bob/app:pull");
        using var anonymous = await _registry.CreateClient().GetAsync("/token?service=lab-registry&offline_token=true");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("invalid_grant", JsonSerializer.Deserialize<JsonElement>(await refused.Content.ReadAsStringAsync()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.False(JsonSerializer.Deserialize<JsonElement>(await anonymous.Content.ReadAsStringAsync()).TryGetProperty("refresh_token", out _));
    }
}
