using System.Net;
using System.Text.Json;

namespace Lab.Web.Tests.Preview;

/// <summary>GET /preview/{machine}/ports: the machine's published ports as server-sent events.</summary>
public sealed class PublishedPortsTests(PreviewFixture fixture) : IClassFixture<PreviewFixture>
{
    private PreviewServer Preview => fixture.Preview;

    [Fact]
    public async Task The_owner_gets_the_published_ports_of_running_containers()
    {
        using var response = await Preview.Owner.Http.GetAsync($"/preview/{Preview.Machine}/ports", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.StartsWith("data: ", line);
        var ports = JsonDocument.Parse(line!["data: ".Length..]).RootElement.EnumerateArray()
            .Select(p => $"{p.GetProperty("port").GetInt32()} {p.GetProperty("container").GetString()} {p.GetProperty("containerPort").GetString()} {p.GetProperty("url").GetString()}")
            .ToList();
        Assert.Equal(
        [
            $"{PreviewFixture.NginxPort} web 80/tcp /preview/{Preview.Machine}/{PreviewFixture.NginxPort}/",
            $"{PreviewFixture.AppPort} app {PreviewTestApp.ContainerPort}/tcp /preview/{Preview.Machine}/{PreviewFixture.AppPort}/",
        ], ports);
    }

    [Fact]
    public async Task Another_student_cannot_list_them()
    {
        using var other = await Preview.Server.CreateBrowser().SignUpAsync("curious");

        using var response = await other.GetAsync($"/preview/{Preview.Machine}/ports");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
