using Lab.Web.Accounts;
using Lab.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Lab.Web.Tests.EndToEnd;

/// <summary>Slides in chromium: fragments revealed step by step, vertical stacks navigated with the arrow keys and
/// the ▲/▼ buttons, and the instructor's presenter view (notes, next slide) driving the lesson tab.</summary>
[Trait("Category", "EndToEnd")]
public sealed class SlidesInBrowserTests : IAsyncLifetime
{
    private const string Lesson = """
        ---
        title: Premiers pas
        dialect: reveal-md
        ---
        # Étapes
        - première <!-- .element: class="fragment" -->
        - seconde <!-- .element: class="fragment" -->

        Note: Secret du formateur
        ---
        ## Pile
        ----
        ## Dessous
        """;

    private LabTestServer server = null!;
    private HeadlessChromium chromium = null!;

    private IBrowser browser => chromium.Browser;

    private static string LessonPath => $"/courses/{TestCourse.Id}/{TestCourse.LessonSlug}";

    public async Task InitializeAsync()
    {
        server = await LabTestServer.StartAsync();
        File.WriteAllText(Path.Combine(server.Root, "courses", TestCourse.Id, $"01-{TestCourse.LessonSlug}.md"), Lesson);
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

    private async Task<IBrowserContext> SignedInAsync(string userName, bool instructor = false)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 850 },
        });
        // The suite runs its assemblies in parallel on two cores: a page load can take longer than Playwright's 30 s.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/register");
        await page.FillAsync("#Form_UserName", userName);
        await page.FillAsync("#Form_Password", TestBrowser.Password);
        await page.FillAsync("#Form_ConfirmPassword", TestBrowser.Password);
        await page.ClickAsync("button.primary");
        await page.WaitForURLAsync("**/");
        if (instructor)
        {
            using (var scope = server.Services.CreateScope())
            {
                var users = scope.ServiceProvider.GetRequiredService<UserManager<LabUser>>();
                await users.AddToRoleAsync((await users.FindByNameAsync(userName))!, LabRoles.Instructor);
            }

            // Roles travel in the sign-in cookie: sign in again to get the new one.
            await context.ClearCookiesAsync();
            await page.GotoAsync("/signin");
            await page.FillAsync("#Form_UserName", userName);
            await page.FillAsync("#Form_Password", TestBrowser.Password);
            await page.ClickAsync("button.primary");
            await page.WaitForURLAsync("**/");
        }

        await page.CloseAsync();
        return context;
    }

    [Fact]
    public async Task Fragments_appear_one_step_at_a_time_and_vertical_slides_are_reached_with_up_and_down()
    {
        var context = await SignedInAsync("zoe");
        var page = await context.NewPageAsync();
        try
        {
            await page.GotoAsync(LessonPath);
            var fragments = page.Locator(".slide:not([hidden]) .fragment");
            var counter = page.Locator(".slide-counter");
            await Expect(fragments).ToHaveCountAsync(2);
            await Expect(page.Locator(".slide:not([hidden]) .fragment.visible")).ToHaveCountAsync(0);
            Assert.Equal("0", await fragments.First.EvaluateAsync<string>("f => getComputedStyle(f).opacity"));
            Assert.DoesNotContain("Secret du formateur", await page.ContentAsync());

            await page.Locator(".slides").ClickAsync();
            await page.Keyboard.PressAsync("ArrowRight");
            await Expect(page.Locator(".slide:not([hidden]) .fragment.visible")).ToHaveCountAsync(1);
            await Expect(counter).ToHaveTextAsync("1 / 3");
            await page.ClickAsync(".slide-next");
            await Expect(page.Locator(".slide:not([hidden]) .fragment.visible")).ToHaveCountAsync(2);

            await page.Keyboard.PressAsync("ArrowRight");
            await Expect(page.Locator(".slide:not([hidden]) h2")).ToHaveTextAsync("Pile");
            await Expect(page.Locator(".slide-down")).ToBeVisibleAsync();
            await Expect(page.Locator(".slide-up")).ToBeDisabledAsync();

            await page.Keyboard.PressAsync("ArrowDown");
            await Expect(page.Locator(".slide:not([hidden]) h2")).ToHaveTextAsync("Dessous");
            await Expect(counter).ToHaveTextAsync("3 / 3");
            await page.ClickAsync(".slide-up");
            await Expect(page.Locator(".slide:not([hidden]) h2")).ToHaveTextAsync("Pile");

            // Going back to the first slide shows it as it was left: every fragment visible.
            await page.Keyboard.PressAsync("ArrowLeft");
            await Expect(page.Locator(".slide:not([hidden]) .fragment.visible")).ToHaveCountAsync(2);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_presenter_view_shows_notes_and_the_next_slide_and_drives_the_lesson_tab()
    {
        var context = await SignedInAsync("prof", instructor: true);
        var lesson = await context.NewPageAsync();
        var presenter = await context.NewPageAsync();
        try
        {
            await lesson.GotoAsync(LessonPath);
            await presenter.GotoAsync(LessonPath + "/presenter");
            await Expect(presenter.Locator(".presenter-notes .notes:not([hidden])")).ToContainTextAsync("Secret du formateur");
            await Expect(presenter.Locator(".presenter-counter")).ToHaveTextAsync("1 / 3 (0/2)");
            // The next press reveals the first fragment: the preview shows it.
            await Expect(presenter.Locator(".presenter-next .slide:not([hidden]) .fragment.visible")).ToHaveCountAsync(1);

            await presenter.ClickAsync(".slide-next");
            await presenter.ClickAsync(".slide-next");
            await presenter.ClickAsync(".slide-next");
            await Expect(presenter.Locator(".presenter-current .slide:not([hidden]) h2")).ToHaveTextAsync("Pile");
            await Expect(presenter.Locator(".presenter-next .slide:not([hidden]) h2")).ToHaveTextAsync("Dessous");
            await Expect(presenter.Locator(".presenter-notes .notes:not([hidden])")).ToHaveTextAsync("No notes for this slide.");
            await Expect(lesson.Locator(".slide:not([hidden]) h2")).ToHaveTextAsync("Pile");
            await Expect(lesson.Locator(".slide-counter")).ToHaveTextAsync("2 / 3");
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
