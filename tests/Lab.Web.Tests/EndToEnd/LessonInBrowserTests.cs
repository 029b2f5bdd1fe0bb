using Lab.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lab.Web.Tests.EndToEnd;

/// <summary>The walking skeleton as a student meets it, in Debian's chromium driven by Playwright: register,
/// open the lesson, run a command from a slide in the terminal of their own lab machine (the real
/// lab-machine image and runtime), reload, and find the terminal as they left it. Screenshots go to
/// test-results/screenshots/.</summary>
[Trait("Category", "EndToEnd")]
public sealed class LessonInBrowserTests : IAsyncLifetime
{
    private LabTestServer server = null!;
    private HeadlessChromium chromium = null!;

    private IBrowser browser => chromium.Browser;

    public async Task InitializeAsync()
    {
        server = await LabTestServer.StartAsync(TestImages.LabMachine);
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

    private async Task ScreenshotAsync(IPage page, string name)
    {
        await HeadlessChromium.ScreenshotAsync(page, name);
    }

    [Fact]
    public async Task A_student_runs_a_slide_command_in_their_machine_and_finds_it_again_after_a_reload()
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 850 },
            Locale = "fr-FR",
        });
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync("/register");
            await page.FillAsync("#Form_UserName", "zoe");
            await page.FillAsync("#Form_Password", TestBrowser.Password);
            await page.FillAsync("#Form_ConfirmPassword", TestBrowser.Password);
            await page.ClickAsync("button.primary");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Cours");
            await ScreenshotAsync(page, "01-catalog");

            await page.ClickAsync($"text={TestCourse.LessonTitle}");
            var slide = page.Locator(".slide:not([hidden])");
            await Expect(slide).ToContainTextAsync(TestCourse.FirstSlideText);
            await Expect(page.Locator(".slide-counter")).ToHaveTextAsync($"1 / {TestCourse.SlideCount}");
            var status = page.Locator(".terminal-status");
            await Expect(status).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 60_000 });
            await ScreenshotAsync(page, "02-lesson");

            await slide.Locator(".run-button").ClickAsync();
            var screen = page.Locator(".xterm-rows");
            await Expect(screen).ToContainTextAsync(TestCourse.RunOutput, new() { Timeout = 30_000 });
            await ScreenshotAsync(page, "03-command-ran");

            await page.ReloadAsync();
            await Expect(status).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });
            await Expect(screen).ToContainTextAsync(TestCourse.RunOutput, new() { Timeout = 30_000 });
            await ScreenshotAsync(page, "04-after-reload");

            // The slides answer the arrow keys when the terminal does not have the focus.
            await page.Locator(".slides").ClickAsync();
            await page.Keyboard.PressAsync("ArrowRight");
            await Expect(page.Locator(".slide-counter")).ToHaveTextAsync($"2 / {TestCourse.SlideCount}");
            Assert.True(await page.Locator(".slide:not([hidden]) img").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
            await page.Keyboard.PressAsync("ArrowRight");
            await Expect(page.Locator(".slide:not([hidden]) code.hljs")).ToHaveCountAsync(1);
            await ScreenshotAsync(page, "05-last-slide");
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
}
