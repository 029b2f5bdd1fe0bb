using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary><c>docker tag</c> and <c>docker rmi</c> with dockerd's untag-versus-delete rules.</summary>
public sealed class ImageTagRmiTests : IAsyncLifetime
{
    EngineTestServer _server = null!;
    string _id = "";

    public async Task InitializeAsync()
    {
        _server = await EngineTestServer.StartAsync();
        _id = TestImage.IdOf(_server, await TestImage.CreateAsync(_server, "hello", "hello"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Tag_adds_a_name_to_the_same_image(string cli)
    {
        (await DockerCli.Named(cli).RunAsync(_server, "tag", "hello", "myrepo/hello:2.0")).Succeeded();
        var result = (await DockerCli.Named(cli).RunAsync(_server, "image", "inspect", "-f", "{{.Id}} {{.RepoTags}}", "myrepo/hello:2.0")).Succeeded();
        Assert.Equal($"{_id} [hello:latest myrepo/hello:2.0]", result.Stdout.Trim());
    }

    [Fact]
    public async Task Tag_of_an_unknown_image_is_no_such_image()
    {
        var result = await DockerCli.Cli28.RunAsync(_server, "tag", "nope", "x");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("No such image: nope:latest", result.Stderr);
    }

    [Fact]
    public async Task Rmi_of_one_of_two_names_only_untags()
    {
        (await DockerCli.Cli28.RunAsync(_server, "tag", "hello", "copy")).Succeeded();
        var result = (await DockerCli.Cli28.RunAsync(_server, "rmi", "copy")).Succeeded();
        Assert.Equal("Untagged: copy:latest", result.Stdout.Trim());
        Assert.Equal("hello:latest", (await DockerCli.Cli28.RunAsync(_server, "images", "--format", "{{.Repository}}:{{.Tag}}")).Stdout.Trim());
    }

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Rmi_of_the_last_name_deletes_the_image(string cli)
    {
        var result = (await DockerCli.Named(cli).RunAsync(_server, "rmi", "hello")).Succeeded();
        // Then the layer it alone held, by chain id, as dockerd lists the layers it releases.
        Assert.Matches($"^Untagged: hello:latest\nDeleted: {_id}\nDeleted: sha256:[0-9a-f]{{64}}$", result.Stdout.Trim());
        Assert.Equal("", (await DockerCli.Cli28.RunAsync(_server, "images", "-q")).Stdout.Trim());
    }

    [Fact]
    public async Task Rmi_by_id_of_an_image_in_two_repositories_must_be_forced()
    {
        (await DockerCli.Cli28.RunAsync(_server, "tag", "hello", "other")).Succeeded();
        var refused = await DockerCli.Cli28.RunAsync(_server, "rmi", _id[7..19]);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"conflict: unable to delete {_id[7..19]} (must be forced) - image is referenced in multiple repositories", refused.Stderr);

        var forced = (await DockerCli.Cli28.RunAsync(_server, "rmi", "-f", _id[7..19])).Succeeded();
        Assert.Matches($"^Untagged: hello:latest\nUntagged: other:latest\nDeleted: {_id}\nDeleted: sha256:[0-9a-f]{{64}}$", forced.Stdout.Trim());
    }

    [Fact]
    public async Task Rmi_of_an_unknown_image_is_a_404_in_dockerds_words()
    {
        using var response = await _server.Http.DeleteAsync("/v1.50/images/ghost");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("{\"message\":\"No such image: ghost:latest\"}", (await response.Content.ReadAsStringAsync()).Trim());
    }
}
