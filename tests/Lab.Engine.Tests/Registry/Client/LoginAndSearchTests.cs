using Lab.Engine.Registry.Client;
using Lab.Engine.Tests.Registry.Support;
using Lab.Runtime;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Tests.Registry.Client;

/// <summary><c>docker login</c> and <c>docker search</c> through RegistryClient against the classroom registry.</summary>
public sealed class LoginAndSearchTests : IAsyncLifetime
{
    RegistryTestServer _registry = null!;
    HttpClient _http = null!;
    RegistryClient _client = null!;

    public async Task InitializeAsync()
    {
        _registry = await RegistryTestServer.StartAsync();
        _http = new HttpClient();
        _client = new RegistryClient(_http);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _registry.DisposeAsync();
    }

    [Fact]
    public async Task Login_accepts_a_Lab_account_and_refuses_a_wrong_password()
    {
        await _client.LoginAsync(_registry.Host, new RegistryCredentials("alice", "alice-secret"));

        var error = await Assert.ThrowsAsync<RegistryClientException>(() =>
            _client.LoginAsync(_registry.Host, new RegistryCredentials("alice", "wrong")));

        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.Equal("unauthorized: incorrect username or password", error.Message);
    }

    [Fact]
    public async Task Login_returns_an_identity_token_that_stands_for_the_password_until_it_changes()
    {
        var identity = await _client.LoginAsync(_registry.Host, new RegistryCredentials("alice", "alice-secret"));
        Assert.False(string.IsNullOrEmpty(identity));
        Assert.DoesNotContain("alice-secret", identity);

        // What the CLI sends after such a login: the user name and the identity token, no password.
        var stored = new RegistryCredentials("alice", "", identity);
        await _client.SearchAsync(_registry.Host, "anything", credentials: stored);

        _registry.Accounts.ChangePassword("alice", "new-secret");
        var error = await Assert.ThrowsAsync<RegistryClientException>(() =>
            _client.SearchAsync(_registry.Host, "anything", credentials: stored));
        Assert.Equal(ErrorKind.Forbidden, error.Kind);
        Assert.Contains("run docker login again", error.Message);
    }

    [Fact]
    public async Task Search_finds_repositories_by_name_with_library_images_as_official()
    {
        var source = new FileContentStore(Path.Combine(_registry.Root, "source"));
        var image = await TestImage.WriteAsync(source, "search");
        using var carol = new RegistryHttp(_registry, "carol");
        foreach (var repo in new[] { "library/nginx", "library/httpd", "class1/nginx-demo", "carol/other" })
            await carol.PushImageAsync(source, image, repo, "1");

        var anonymous = await _client.SearchAsync(_registry.Host, "nginx");
        var signedIn = await _client.SearchAsync(_registry.Host, "NGINX", credentials: new RegistryCredentials("alice", "alice-secret"));

        Assert.Equal([new SearchResult("nginx", "", 0, true, false)], anonymous);
        Assert.Equal(["class1/nginx-demo", "nginx"], signedIn.Select(r => r.Name));
    }
}
