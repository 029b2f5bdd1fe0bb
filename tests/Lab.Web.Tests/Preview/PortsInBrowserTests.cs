using Lab.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lab.Web.Tests.Preview;

/// <summary>The lesson page's "Published ports" bar in Debian's chromium: a container publishing a port appears
/// as a link to its preview by itself, the link opens the app, and it goes away when the container is removed.
/// Screenshots go to test-results/screenshots/.</summary>
[Trait("Category", "EndToEnd")]
public sealed class PortsInBrowserTests : IAsyncLifetime
{
    private PreviewServer preview = null!;
    private HeadlessChromium chromium = null!;

    private IBrowser browser => chromium.Browser;

    public async Task InitializeAsync()
    {
        preview = await PreviewServer.StartAsync("lea");
        chromium = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (chromium is not null)
        {
            await chromium.DisposeAsync();
        }

        if (preview is not null)
        {
            await preview.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_published_port_appears_as_a_preview_link_and_disappears_with_its_container()
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = preview.Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 850 },
            Locale = "fr-FR",
        });
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync("/signin");
            await page.FillAsync("#Form_UserName", "lea");
            await page.FillAsync("#Form_Password", TestBrowser.Password);
            await page.ClickAsync("button.primary");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Cours");

            await page.GotoAsync($"/courses/{TestCourse.Id}/{TestCourse.LessonSlug}");
            var ports = page.Locator(".ports");
            await Expect(ports.Locator(".ports-title")).ToHaveTextAsync("Ports publiés");
            await Expect(ports.Locator(".ports-empty")).ToBeVisibleAsync();
            await Expect(ports.Locator(".ports-empty")).ToContainTextAsync("Aucun port publié");

            var web = await preview.RunAsync("nginx", "web", 8080, 80);
            var link = ports.Locator(".ports-list a[data-port='8080']");
            await Expect(link).ToHaveTextAsync("8080 → web", new() { Timeout = 10_000 });
            await Expect(link).ToHaveAttributeAsync("href", $"/preview/{preview.Machine}/8080/");
            await Expect(ports.Locator(".ports-empty")).ToBeHiddenAsync();
            await ScreenshotAsync(page, "01-port");

            var app = await context.RunAndWaitForPageAsync(() => link.ClickAsync());
            await Expect(app.Locator("h1")).ToHaveTextAsync("Welcome to nginx!");
            await app.CloseAsync();

            await preview.Containers.RemoveAsync(preview.Machine, web.Id, force: true);
            await Expect(ports.Locator(".ports-list a")).ToHaveCountAsync(0, new() { Timeout = 10_000 });
            await Expect(ports.Locator(".ports-empty")).ToBeVisibleAsync();
        }
        catch
        {
            await ScreenshotAsync(page, "failure");
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        await HeadlessChromium.ScreenshotAsync(page, $"ports-{name}");
    }
}
