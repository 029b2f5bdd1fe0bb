using Lab.Web.Preview;
using Microsoft.AspNetCore.Http;

namespace Lab.Web.Tests.Preview;

public sealed class PreviewPathParseTests
{
    [Theory]
    [InlineData("/preview/zoe-abc123/8080/", "zoe-abc123", 8080)]
    [InlineData("/preview/zoe-abc123/1/a/b.css", "zoe-abc123", 1)]
    [InlineData("/preview/m/65535/x", "m", 65535)]
    public void An_app_file_path_names_its_machine_and_port(string path, string machine, int port)
    {
        Assert.True(PreviewPath.TryParse(new PathString(path), out var target));
        Assert.Equal(new PreviewPath(machine, port), target);
    }

    [Theory]
    [InlineData("/preview/zoe-abc123/8080")] // redirected to its folder by the route
    [InlineData("/preview/zoe-abc123/ports")]
    [InlineData("/preview/zoe-abc123/0/")]
    [InlineData("/preview/zoe-abc123/65536/")]
    [InlineData("/preview/zoe-abc123/08080/")]
    [InlineData("/preview/zoe-abc123/+80/")]
    [InlineData("/preview/Zoe/8080/")]
    [InlineData("/preview//8080/")]
    [InlineData("/previews/m/8080/")]
    [InlineData("/other/m/8080/")]
    public void Anything_else_is_not_an_app_file(string path) =>
        Assert.False(PreviewPath.TryParse(new PathString(path), out _));
}
