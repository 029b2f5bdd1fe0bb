using System.Text.Json;
using Lab.Engine.Tests.Registry.Support;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary><c>docker login</c> through the engine (POST /auth): a Lab account against the classroom registry,
/// with the words dockerd and the CLI use.</summary>
public sealed class LoginTests(ClassroomMachineFixture classroom) : IClassFixture<ClassroomMachineFixture>
{
    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Login_with_a_Lab_account_succeeds_and_the_cli_keeps_it_for_docker_io(string cli)
    {
        var login = (await DockerCli.Named(cli).RunAsync(classroom.Server, "login", "-u", "alice", "-p", "alice-secret")).Succeeded();

        Assert.Contains("Login Succeeded", login.Stdout);
        var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(classroom.Server.Root, "docker-config", "config.json"))).RootElement;
        // As with dockerd and a token registry: the CLI keeps the identity token, not the password.
        var stored = config.GetProperty("auths").GetProperty("https://index.docker.io/v1/");
        Assert.False(string.IsNullOrEmpty(stored.GetProperty("identitytoken").GetString()));
        Assert.Equal("alice:", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(stored.GetProperty("auth").GetString()!)));
        Assert.DoesNotContain("alice-secret", File.ReadAllText(Path.Combine(classroom.Server.Root, "docker-config", "config.json")));
    }

    [Fact]
    public async Task Login_against_the_registry_by_its_address_works_too()
    {
        var login = (await DockerCli.Cli28.RunAsync(classroom.Server, "login", "-u", "bob", "-p", "bob-secret", classroom.Registry.Host)).Succeeded();
        Assert.Contains("Login Succeeded", login.Stdout);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_in_dockerds_words()
    {
        var login = await DockerCli.Cli28.RunAsync(classroom.Server, "login", "-u", "alice", "-p", "not-her-password");

        Assert.NotEqual(0, login.ExitCode);
        Assert.Contains("unauthorized: incorrect username or password", login.Stderr);
    }

    [Fact]
    public async Task The_auth_endpoint_answers_dockerds_body_and_rejects_bad_input()
    {
        using var ok = await classroom.Server.Http.PostAsync("/v1.50/auth", Json("""{"username":"carol","password":"carol-secret","serveraddress":"https://index.docker.io/v1/"}"""));
        using var wrong = await classroom.Server.Http.PostAsync("/v1.50/auth", Json("""{"username":"carol","password":"nope"}"""));
        using var types = await classroom.Server.Http.PostAsync("/v1.50/auth", Json("""{"username":42,"password":"x"}"""));
        using var empty = await classroom.Server.Http.PostAsync("/v1.50/auth", Json("""{}"""));

        var answer = JsonDocument.Parse(await ok.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["Status", "IdentityToken"], answer.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Login Succeeded", answer.GetProperty("Status").GetString());
        Assert.Matches(@"^[\w-]+\.[\w-]+\.[\w-]+$", answer.GetProperty("IdentityToken").GetString());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, types.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, empty.StatusCode);
    }

    static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
