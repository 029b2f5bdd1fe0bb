using Lab.Web.Accounts;
using Lab.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lab.Web.Tests.Classes;

/// <summary>A French-speaking student joins a class in Debian's chromium driven by Playwright: registers, finds
/// Classes in the header, mistypes the code, then types the code the instructor showed. Screenshots go to
/// test-results/screenshots/.</summary>
[Trait("Category", "EndToEnd")]
public sealed class JoinInBrowserTests : IAsyncLifetime
{
    private LabTestServer server = null!;
    private HeadlessChromium chromium = null!;

    private IBrowser browser => chromium.Browser;

    public async Task InitializeAsync()
    {
        server = await LabTestServer.StartAsync();
        chromium = await HeadlessChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (chromium is not null)
        {
            await chromium.DisposeAsync();
        }

        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_student_joins_a_class_with_the_code_shown_by_the_instructor()
    {
        using var prof = await ClassSteps.SignUpAsync(server, "prof-browser", LabRoles.Instructor);
        var (slug, code) = await prof.CreateClassAsync("Docker — Groupe B", "docker-b");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1200, Height = 800 },
            Locale = "fr-FR",
        });
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync("/register");
            await page.FillAsync("#Form_UserName", "lea");
            await page.FillAsync("#Form_Password", TestBrowser.Password);
            await page.FillAsync("#Form_ConfirmPassword", TestBrowser.Password);
            await page.ClickAsync("button.primary");
            await page.ClickAsync(".site-nav >> text=Classes");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Classes");
            await page.ClickAsync("text=Rejoindre une classe");

            await page.FillAsync("#Code", "AAAA-AAAA");
            await page.ClickAsync("button.primary");
            await Expect(page.Locator(".field-error")).ToHaveTextAsync("Aucune classe n'a ce code. Vérifiez-le auprès de votre enseignant.");
            await ScreenshotAsync(page, "classes-01-wrong-code");

            await page.FillAsync("#Code", code.ToLowerInvariant());
            await page.ClickAsync("button.primary");
            await Expect(page.Locator(".notice")).ToHaveTextAsync("Vous avez rejoint Docker — Groupe B.");
            await page.GetByRole(AriaRole.Link, new() { Name = "Docker — Groupe B" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Uri(server.BaseAddress, $"/classes/{slug}").ToString());
            await Expect(page.Locator(".instructors")).ToContainTextAsync("prof-browser");
            await ScreenshotAsync(page, "classes-02-joined");
        }
        catch
        {
            await ScreenshotAsync(page, "classes-failure");
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        await HeadlessChromium.ScreenshotAsync(page, name);
    }
}
