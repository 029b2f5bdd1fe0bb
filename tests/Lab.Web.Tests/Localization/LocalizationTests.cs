using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Lab.Web.Hosting;
using Lab.Web.Tests.Support;

namespace Lab.Web.Tests.Localization;

public sealed partial class LocalizationTests : IAsyncLifetime
{
    private LabTestServer server = null!;

    public async Task InitializeAsync() => server = await LabTestServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task A_french_browser_gets_the_french_interface()
    {
        using var browser = server.CreateBrowser();
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr-FR,fr;q=0.9,en;q=0.5");

        var html = await browser.GetPageAsync("/signin");

        Assert.Contains("<html lang=\"fr\">", html);
        Assert.Contains("<h1>Se connecter</h1>", html);
        Assert.Contains("Nom d&#x27;utilisateur", html);
    }

    [Fact]
    public async Task Validation_messages_follow_the_language()
    {
        using var browser = server.CreateBrowser();
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");

        var html = await (await browser.RegisterAsync("", "")).Content.ReadAsStringAsync();

        Assert.Contains("Le champ Nom d&#x27;utilisateur est obligatoire.", html);
    }

    [Fact]
    public async Task The_switcher_overrides_the_browser_language_and_returns_to_the_page()
    {
        using var browser = server.CreateBrowser();
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        using var switched = await browser.SubmitAsync("/register", new Dictionary<string, string>
        {
            ["culture"] = "fr",
            ["returnUrl"] = "/register",
        }, action: "/culture");

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/register", switched.Headers.Location?.OriginalString);
        Assert.Contains("<h1>Créer votre compte</h1>", await browser.GetPageAsync("/register"));
    }

    [Fact]
    public async Task The_switcher_does_not_redirect_to_other_sites()
    {
        using var browser = server.CreateBrowser();

        using var switched = await browser.SubmitAsync("/signin", new Dictionary<string, string>
        {
            ["culture"] = "en",
            ["returnUrl"] = "//evil.example/",
        }, action: "/culture");

        Assert.Equal("/", switched.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Switching_language_on_an_error_page_returns_to_the_missing_page()
    {
        using var browser = await server.CreateBrowser().SignUpAsync("lea");
        using var missing = await browser.GetAsync("/courses/test-course/nowhere?x=1");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("name=\"returnUrl\" value=\"/courses/test-course/nowhere?x=1\"", await missing.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("""\b[Tt]\["((?:[^"\\]|\\.)+)"|(?:ErrorMessage|Name) = "([^"]+)"[,)\]]""")]
    private static partial Regex UiString();

    [Fact]
    public void Every_ui_string_has_a_french_translation()
    {
        var web = Path.Combine(AppPaths.RepositoryRoot!, "src", "Lab.Web");
        var french = XDocument.Load(Path.Combine(web, "Localization", "SharedResource.fr.resx"))
            .Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet();
        var sources = Directory.EnumerateFiles(web, "*.cs*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/") && !f.Contains("/Migrations/")
                && !f.EndsWith("LabRoles.cs") && !f.EndsWith("MachinesSetup.cs") && !f.EndsWith("AccountsSetup.cs"));

        var used = sources.SelectMany(f => UiString().Matches(File.ReadAllText(f)))
            .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
            .ToHashSet();

        Assert.NotEmpty(used);
        Assert.Empty(used.Where(key => !french.Contains(key)).Order());
    }
}
