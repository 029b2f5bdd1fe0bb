using System.Net;
using Lab.Web.Tests.Support;

namespace Lab.Web.Tests.Accounts;

public sealed class PagesRequireSignInTests : IAsyncLifetime
{
    private LabTestServer server = null!;

    public async Task InitializeAsync() => server = await LabTestServer.StartAsync();

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Theory]
    [InlineData("/")]
    [InlineData("/courses/test-course/premiers-pas")]
    [InlineData("/courses/test-course/assets/images/couches.svg")]
    [InlineData("/courses/no-such-course/nothing")]
    public async Task Pages_send_an_anonymous_visitor_to_sign_in(string path)
    {
        using var browser = server.CreateBrowser();
        using var response = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/signin", response.Headers.Location!.AbsolutePath);
    }

    [Theory]
    [InlineData("/api/session")]
    [InlineData("/ws/term/anything")]
    public async Task Scripts_get_a_bare_401_instead_of_a_redirect(string path)
    {
        using var browser = server.CreateBrowser();
        using var response = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/signin")]
    [InlineData("/register")]
    [InlineData("/css/site.css")]
    [InlineData("/js/terminal.js")]
    [InlineData("/lib/xterm/lib/xterm.js")]
    public async Task Sign_in_registration_and_static_files_are_open(string path)
    {
        using var browser = server.CreateBrowser();
        using var response = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_session_cookie_the_server_cannot_read_counts_as_signed_out()
    {
        using var browser = server.CreateBrowser();
        browser.Cookies.Add(browser.BaseAddress, new Cookie("lab.session", "CfDJ8stale-or-forged-value"));

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/session")).StatusCode);
    }
}
