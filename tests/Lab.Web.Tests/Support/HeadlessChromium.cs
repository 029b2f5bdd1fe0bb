using Microsoft.Playwright;

namespace Lab.Web.Tests.Support;

/// <summary>Debian's chromium, headless, driven by Playwright, as every browser test uses it (no CDN download: the
/// distribution's binary); screenshots go to test-results/screenshots/.</summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly string[] Args =
    [
        "--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-gpu",
    ];

    private readonly IPlaywright playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Debian's chromium is missing: apt-get install -y chromium");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Args = Args,
            Headless = true,
        });
        return new HeadlessChromium(playwright, browser);
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var dir = Path.Combine(TestImages.RepoRoot, "test-results", "screenshots");
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(dir, $"{name}.png") });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}
