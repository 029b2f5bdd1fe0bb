using Lab.Web.Preview;
using Microsoft.Extensions.Primitives;

namespace Lab.Web.Tests.Preview;

public sealed class PreviewHeadersTests
{
    private static readonly PreviewPath Target = new("zoe-abc123", 8080);

    [Theory]
    [InlineData("/login", "/preview/zoe-abc123/8080/login")]
    [InlineData("/", "/preview/zoe-abc123/8080/")]
    [InlineData("/preview/zoe-abc123/8080/done", "/preview/zoe-abc123/8080/done")]
    [InlineData("http://localhost:8080/a?b=1", "/preview/zoe-abc123/8080/a?b=1")]
    [InlineData("http://127.0.0.1:8080/a", "/preview/zoe-abc123/8080/a")]
    [InlineData("http://lab.example/a", "/preview/zoe-abc123/8080/a")]
    [InlineData("http://lab.example/preview/zoe-abc123/8080/a", "/preview/zoe-abc123/8080/a")]
    [InlineData("next", "next")]
    [InlineData("../up", "../up")]
    [InlineData("https://example.org/x", "https://example.org/x")]
    [InlineData("http://localhost:9090/x", "http://localhost:9090/x")]
    [InlineData("//cdn.example/x.js", "//cdn.example/x.js")]
    public void Locations_that_name_the_app_go_under_the_prefix(string location, string expected) =>
        Assert.Equal(expected, PreviewHeaders.RewriteLocation(location, Target, "lab.example"));

    [Theory]
    [InlineData("sid=1; Path=/; HttpOnly", "sid=1; Path=/preview/zoe-abc123/8080/; HttpOnly")]
    [InlineData("sid=1; path=/admin; Domain=localhost; Secure", "sid=1; Path=/preview/zoe-abc123/8080/admin; Secure")]
    [InlineData("sid=1", "sid=1")]
    [InlineData("lab.session=x; Path=/", null)]
    [InlineData(".AspNetCore.Antiforgery.abc=x", null)]
    public void Set_cookie_paths_are_moved_and_platform_cookies_dropped(string setCookie, string? expected) =>
        Assert.Equal(expected, PreviewHeaders.RewriteSetCookie(setCookie, Target));

    [Fact]
    public void The_session_and_framework_cookies_are_not_forwarded()
    {
        var header = new StringValues(["lab.session=secret; theme=dark", ".AspNetCore.Culture=c=fr; lab.sessionC1=more; cart=3"]);

        Assert.Equal("theme=dark; cart=3", PreviewHeaders.FilterCookieHeader(header));
        Assert.Null(PreviewHeaders.FilterCookieHeader(new StringValues("lab.session=secret")));
    }
}
