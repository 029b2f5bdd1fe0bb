using Lab.Web.Terminal;
using Microsoft.AspNetCore.Http;

namespace Lab.Web.Tests.Terminal;

public sealed class OriginCheckTests
{
    private static HttpRequest Request(string? origin, string host = "127.0.0.1:5080")
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString(host);
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        return context.Request;
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("HTTP://127.0.0.1:5080")]
    public void The_servers_own_origin_is_accepted(string origin) =>
        Assert.Null(OriginCheck.Problem(Request(origin)));

    [Theory]
    [InlineData("http://127.0.0.1:5081")]
    [InlineData("https://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://127.0.0.1:5080.evil.example")]
    [InlineData("null")]
    public void Any_other_origin_is_refused_and_named(string origin) =>
        Assert.Equal($"refused: Origin '{origin}' does not match this server (http://127.0.0.1:5080)", OriginCheck.Problem(Request(origin)));

    [Fact]
    public void A_handshake_without_origin_is_refused() =>
        Assert.Equal("refused: the request has no Origin header", OriginCheck.Problem(Request(null)));
}
