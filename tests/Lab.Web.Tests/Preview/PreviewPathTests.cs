using Lab.Web.Preview;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Lab.Web.Tests.Preview;

public sealed class PreviewPathTests
{
    private static readonly PreviewPath Target = new("zoe-abc123", 8080);

    private static HttpContext Request(string rawTarget, string path, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context;
    }

    [Fact]
    public void The_app_gets_the_request_target_with_its_escapes_as_the_browser_sent_them() =>
        Assert.Equal("/files/a%2Fb%20c?q=%C3%A9&x",
            Target.UpstreamTarget(Request("/preview/zoe-abc123/8080/files/a%2Fb%20c?q=%C3%A9&x", "/preview/zoe-abc123/8080/files/a/b c", "?q=%C3%A9&x")));

    [Fact]
    public void A_prefix_written_with_escapes_still_finds_the_rest_of_the_path() =>
        Assert.Equal("/files/a%20b?x=1",
            Target.UpstreamTarget(Request("/preview/zoe%2Dabc123/8080/files/a%20b?x=1", "/preview/zoe-abc123/8080/files/a b", "?x=1")));

    [Fact]
    public void The_prefix_names_the_machine_and_port() => Assert.Equal("/preview/zoe-abc123/8080", Target.Prefix);
}
