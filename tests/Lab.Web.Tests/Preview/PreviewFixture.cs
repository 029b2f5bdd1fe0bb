namespace Lab.Web.Tests.Preview;

/// <summary>One server for a test class: the owner's machine runs nginx published on <see cref="NginxPort"/> and
/// <see cref="PreviewTestApp"/> on <see cref="AppPort"/>.</summary>
public sealed class PreviewFixture : IAsyncLifetime
{
    public const int NginxPort = 8080;
    public const int AppPort = 8081;

    public PreviewServer Preview { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Preview = await PreviewServer.StartAsync();
        await Preview.RunAsync("nginx", "web", NginxPort, 80);
        await Preview.RunAsync("python", "app", AppPort, PreviewTestApp.ContainerPort, PreviewTestApp.Command);
    }

    public async Task DisposeAsync()
    {
        if (Preview is not null)
        {
            await Preview.DisposeAsync();
        }
    }
}
