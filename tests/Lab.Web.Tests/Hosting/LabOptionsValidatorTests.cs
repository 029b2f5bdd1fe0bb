using Lab.Web.Hosting;

namespace Lab.Web.Tests.Hosting;

public sealed class LabOptionsValidatorTests
{
    private static IEnumerable<string> Failures(LabOptions options) =>
        new LabOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Failures(new LabOptions()));

    [Fact]
    public void Several_listen_addresses_are_allowed()
    {
        var options = new LabOptions { Urls = "http://127.0.0.1:5080; http://[::1]:5080;http://localhost:0" };

        Assert.Empty(Failures(options));
        Assert.Equal([5080, 5080, 0], options.ListenUrls.Select(u => u.Port));
    }

    [Theory]
    [InlineData("127.0.0.1:5080")]
    [InlineData("https://127.0.0.1:5443")]
    [InlineData("http://127.0.0.1:5080/lab")]
    [InlineData("")]
    public void Unusable_listen_urls_are_named(string urls) =>
        Assert.Contains(Failures(new LabOptions { Urls = urls }), f => f.StartsWith("LAB_URLS"));

    [Fact]
    public void The_data_dir_must_be_absolute() =>
        Assert.Equal(["LAB_DATA must be an absolute path (got 'data')"], Failures(new LabOptions { DataDir = "data" }));

    [Fact]
    public void Paths_derive_from_the_data_dir()
    {
        var options = new LabOptions { DataDir = "/srv/lab" };

        Assert.Equal(("/srv/lab/lab.db", "/srv/lab/control.sock", "/srv/lab/images"),
            (options.DatabasePath, options.ControlSocketPath, options.ImagesDir));
    }

    [Fact]
    public void The_environment_variables_map_onto_the_settings()
    {
        Assert.Equal("Lab:DataDir", LabEnvironment.Variables["LAB_DATA"]);
        Assert.Equal("Lab:Urls", LabEnvironment.Variables["LAB_URLS"]);
        Assert.Equal("Courses:ExtraRoots", LabEnvironment.Variables["LAB_COURSES"]);
    }
}
