using Lab.Web.Tests.Exercises;
using Lab.Web.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lab.Web.Tests.EndToEnd;

/// <summary>An exercise as a student meets it, in Debian's chromium: the panel's checks are ✗, a hint is
/// revealed, the student types the command in the terminal and the check turns ✓ by itself, then the catalog
/// shows the progress. Machines use the busybox image (the panel does not depend on the image).
/// Screenshots go to test-results/screenshots/.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ExerciseInBrowserTests : IAsyncLifetime
{
    private LabTestServer server = null!;
    private HeadlessChromium chromium = null!;

    private IBrowser browser => chromium.Browser;

    public async Task InitializeAsync()
    {
        server = await LabTestServer.StartAsync(prepareDataDir: ExerciseCourse.Write);
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

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        await HeadlessChromium.ScreenshotAsync(page, $"exercise-{name}");
    }

    [Fact]
    public async Task An_exercise_turns_green_live_after_the_command_is_typed_in_the_terminal()
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
            await page.FillAsync("#Form_UserName", "ines");
            await page.FillAsync("#Form_Password", TestBrowser.Password);
            await page.FillAsync("#Form_ConfirmPassword", TestBrowser.Password);
            await page.ClickAsync("button.primary");
            await Expect(page.Locator("h1")).ToHaveTextAsync("Cours");

            await page.GotoAsync(ExerciseCourse.LessonPath);
            await Expect(page.Locator(".terminal-status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 60_000 });
            var panel = page.Locator(".exercise[data-exercise=bonjour]");
            var fileCheck = panel.Locator(".exercise-check[data-check='0']");
            await Expect(fileCheck).ToHaveAttributeAsync("data-state", "fail", new() { Timeout = 20_000 });
            await Expect(panel.Locator(".exercise-score")).ToHaveTextAsync("0/2 vérifications réussies");
            await Expect(page.Locator(".exercise-invalid")).ToContainTextAsync("Cet exercice est momentanément indisponible.");
            await Expect(page.Locator(".exercise[data-exercise=conteneur] .exercise-check")).ToHaveAttributeAsync("data-state", "error");

            var hint = panel.Locator(".exercise-hint[data-hint='0']");
            await Expect(hint).ToHaveTextAsync("Indice 1");
            await hint.ClickAsync();
            await Expect(panel.Locator(".exercise-hint-text")).ToContainTextAsync("Utilisez echo et une redirection.");
            await Expect(panel.Locator(".exercise-hint[data-hint='1']")).ToHaveTextAsync("Indice 2 (−4 points)");
            await ScreenshotAsync(page, "01-before");

            await page.Locator(".xterm").ClickAsync();
            await page.Keyboard.TypeAsync(ExerciseCourse.Command);
            await page.Keyboard.PressAsync("Enter");
            // Live: the terminal's finished command triggers the grading (the fallback poll is 15 s away).
            await Expect(fileCheck).ToHaveAttributeAsync("data-state", "pass", new() { Timeout = 2_000 });
            await Expect(panel.Locator(".exercise-check[data-check='1']")).ToHaveAttributeAsync("data-state", "pass");
            await Expect(panel.Locator(".exercise-score")).ToHaveTextAsync("Réussi ✓ 10/10 points");
            await ScreenshotAsync(page, "02-passed");

            await page.GotoAsync("/");
            await Expect(page.Locator(".exercise-progress")).ToContainTextAsync("Exercices : 1/2 réussis, 10/20 points");
            await ScreenshotAsync(page, "03-catalog");
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
