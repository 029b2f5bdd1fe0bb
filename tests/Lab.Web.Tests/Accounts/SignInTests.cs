using System.Net;
using Lab.Web.Tests.Support;

namespace Lab.Web.Tests.Accounts;

public sealed class SignInTests : IAsyncLifetime
{
    private LabTestServer server = null!;

    public async Task InitializeAsync()
    {
        server = await LabTestServer.StartAsync();
        using var browser = server.CreateBrowser();
        await browser.SignUpAsync("dora");
    }

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Signing_in_returns_to_the_page_that_asked_for_it()
    {
        using var browser = server.CreateBrowser();
        var lesson = $"/courses/{TestCourse.Id}/{TestCourse.LessonSlug}";
        using var redirect = await browser.GetAsync(lesson);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var signInPage = redirect.Headers.Location!.PathAndQuery;
        Assert.StartsWith("/signin?ReturnUrl=", signInPage);

        using var response = await browser.SubmitAsync(signInPage, new Dictionary<string, string>
        {
            ["Form.UserName"] = "dora",
            ["Form.Password"] = TestBrowser.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(lesson, response.Headers.Location?.OriginalString);
        Assert.Contains(TestCourse.FirstSlideText, await browser.GetPageAsync(lesson));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_without_saying_which_part_was_wrong()
    {
        using var browser = server.CreateBrowser();
        using var response = await browser.SignInAsync("dora", "not the password");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Wrong user name or password.", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        using var browser = server.CreateBrowser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("dora")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);

        using var signOut = await browser.SubmitAsync("/signout", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal("/signin", signOut.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Sign_out_cannot_be_triggered_by_another_site()
    {
        using var browser = server.CreateBrowser();
        await browser.SignInAsync("dora");

        using var forged = await browser.Http.PostAsync("/signout", new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
    }
}
