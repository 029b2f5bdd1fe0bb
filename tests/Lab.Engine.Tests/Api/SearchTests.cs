using System.Net;
using Lab.Engine.Tests.Registry.Support;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary><c>docker search</c> through the engine, answered from the classroom registry's catalog.</summary>
public sealed class SearchTests(ClassroomMachineFixture classroom) : IClassFixture<ClassroomMachineFixture>, IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        var source = new Lab.Runtime.Images.Oci.FileContentStore(Path.Combine(classroom.Registry.Root, "source"));
        var image = await Registry.Support.TestImage.WriteAsync(source, "search");
        using var carol = new RegistryHttp(classroom.Registry, "carol");
        foreach (var repo in new[] { "library/nginx", "library/httpd", "class1/nginx-demo" })
            await carol.PushImageAsync(source, image, repo, "1");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Search_lists_matching_repositories_with_library_images_official(string cli)
    {
        (await DockerCli.Named(cli).RunAsync(classroom.Server, "login", "-u", "alice", "-p", "alice-secret")).Succeeded();
        var search = (await DockerCli.Named(cli).RunAsync(classroom.Server, "search", "--no-trunc",
            "--format", "{{.Name}} {{.IsOfficial}} {{.StarCount}}", "nginx")).Succeeded();

        var lines = search.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("nginx ") && (l.Contains("[OK]") || l.Contains("true")));
        Assert.Contains(lines, l => l.StartsWith("class1/nginx-demo "));
        Assert.DoesNotContain(lines, l => l.StartsWith("httpd"));
    }

    [Fact]
    public async Task The_official_filter_and_the_limit_apply()
    {
        var official = (await DockerCli.Cli28.RunAsync(classroom.Server, "search", "--filter", "is-official=true",
            "--format", "{{.Name}}", "nginx")).Succeeded();
        var table = (await DockerCli.Cli28.RunAsync(classroom.Server, "search", "--limit", "1", "nginx")).Succeeded();

        Assert.Equal("nginx", official.Stdout.Trim());
        Assert.StartsWith("NAME", table.Stdout);
        Assert.Equal(2, table.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Theory]
    [InlineData("/v1.50/images/search?term=nginx&limit=500", "limit 500 is outside the range of [1, 100]")]
    [InlineData("/v1.50/images/search?term=nginx&limit=many", "invalid syntax")]
    [InlineData("/v1.50/images/search?term=nginx&filters=%7B%22stars%22%3A%5B%22lots%22%5D%7D", "invalid filter 'stars=lots'")]
    [InlineData("/v1.50/images/search?term=nginx&filters=%7B%22colour%22%3A%5B%22red%22%5D%7D", "invalid filter 'colour'")]
    public async Task Bad_search_parameters_are_400s(string path, string message)
    {
        using var response = await classroom.Server.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }
}
