using System.Net;
using Lab.Web.Preview;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Lab.Web.Tests.Preview;

/// <summary>The fast path of the preview (ahead of the pages' pipeline) with the real server and machine: it serves
/// the owner's GETs by itself, hands everything it must not judge to the routes, and takes no cookie it has not
/// checked in full.</summary>
public sealed class PreviewFastPathTests(PreviewFixture fixture) : IClassFixture<PreviewFixture>
{
    private PreviewServer Preview => fixture.Preview;

    private string Nginx(string path) => $"/preview/{Preview.Machine}/{PreviewFixture.NginxPort}{path}";

    private string OwnerCookie => Preview.Owner.Cookies.GetCookieHeader(Preview.Owner.BaseAddress);

    /// <summary>A request as Kestrel would hand it to the first middleware, and whether the fast path passed it on.</summary>
    private async Task<(DefaultHttpContext Context, bool PassedOn, string Body)> InvokeAsync(string method, string path, string? cookie)
    {
        await using var scope = Preview.Server.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("lab.test");
        context.Request.Path = path;
        if (cookie is not null)
        {
            context.Request.Headers.Cookie = cookie;
        }

        var body = new MemoryStream();
        context.Response.Body = body;
        var passedOn = false;
        await Preview.Server.Services.GetRequiredService<PreviewFastPath>().InvokeAsync(context, _ =>
        {
            passedOn = true;
            return Task.CompletedTask;
        });
        return (context, passedOn, System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task The_owners_get_of_an_app_file_is_served_without_the_rest_of_the_pipeline()
    {
        var (context, passedOn, body) = await InvokeAsync("GET", Nginx("/"), OwnerCookie);
        var again = await InvokeAsync("GET", Nginx("/"), OwnerCookie); // the remembered session

        Assert.False(passedOn);
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Contains("<h1>Welcome to nginx!</h1>", body);
        Assert.False(again.PassedOn);
        Assert.Contains("<h1>Welcome to nginx!</h1>", again.Body);
    }

    [Theory]
    [InlineData("POST", "/")] // a method with a body: the routes (antiforgery-free, but with the body limits)
    [InlineData("GET", "")] // the app folder without its slash: the routes redirect
    public async Task What_is_not_a_plain_get_of_an_app_file_goes_to_the_routes(string method, string path)
    {
        var (_, passedOn, body) = await InvokeAsync(method, Nginx(path), OwnerCookie);

        Assert.True(passedOn);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task Nobody_signed_in_another_students_machine_and_a_dead_port_go_to_the_routes()
    {
        using var other = await Preview.Server.CreateBrowser().SignUpAsync("fast-other");
        var otherCookie = other.Cookies.GetCookieHeader(other.BaseAddress);

        var anonymous = await InvokeAsync("GET", Nginx("/"), cookie: null);
        var refused = await InvokeAsync("GET", Nginx("/"), otherCookie);
        var deadPort = await InvokeAsync("GET", $"/preview/{Preview.Machine}/9999/", OwnerCookie);

        Assert.True(anonymous.PassedOn);
        Assert.True(refused.PassedOn);
        Assert.True(deadPort.PassedOn); // the route writes the 502 page in the visitor's language
        Assert.Equal("", refused.Body + anonymous.Body + deadPort.Body);
    }

    [Fact]
    public async Task A_tampered_session_cookie_is_refused_even_right_after_the_real_one_was_remembered()
    {
        using (await Preview.Owner.GetAsync(Nginx("/"))) { } // remembered now
        var cookie = OwnerCookie;
        var value = cookie.Split('=', 2)[1];
        var tampered = cookie.Split('=', 2)[0] + "=" + value[..^2] + (value[^2] == 'A' ? "B" : "A") + value[^1];

        var direct = await InvokeAsync("GET", Nginx("/"), tampered);
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = Preview.Owner.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, Nginx("/"));
        request.Headers.Add("Cookie", tampered);
        using var response = await browser.SendAsync(request);

        Assert.True(direct.PassedOn);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location?.PathAndQuery ?? response.Headers.Location?.OriginalString);
    }
}
