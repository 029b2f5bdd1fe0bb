using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary><c>docker save</c> / <c>docker load</c> round trips, and prune.</summary>
public sealed class ImageSaveLoadTests : IAsyncLifetime
{
    EngineTestServer _server = null!;
    string _id = "";

    public async Task InitializeAsync()
    {
        _server = await EngineTestServer.StartAsync();
        _id = TestImage.IdOf(_server, await TestImage.CreateAsync(_server, "hello:v1", "hello"));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Save_then_load_restores_the_image_and_its_name(string cli)
    {
        var archive = Path.Combine(_server.Root, "hello.tar");
        (await DockerCli.Named(cli).RunAsync(_server, "save", "-o", archive, "hello:v1")).Succeeded();
        Assert.True(new FileInfo(archive).Length > 1024);
        (await DockerCli.Named(cli).RunAsync(_server, "rmi", "hello:v1")).Succeeded();

        var loaded = (await DockerCli.Named(cli).RunAsync(_server, "load", "-i", archive)).Succeeded();
        Assert.Equal("Loaded image: hello:v1", loaded.Stdout.Trim());
        var inspect = (await DockerCli.Named(cli).RunAsync(_server, "image", "inspect", "-f", "{{.Id}}", "hello:v1")).Succeeded();
        Assert.Equal(_id, inspect.Stdout.Trim());
    }

    // A text file, or a download cut off: said in words a student can act on, never the runtime's own message.
    [Theory]
    [InlineData(20)]
    [InlineData(2000)]
    public async Task Loading_a_file_that_is_not_a_whole_tar_says_so(int bytes)
    {
        var archive = Path.Combine(_server.Root, $"short-{bytes}.tar");
        var whole = Path.Combine(_server.Root, "whole.tar");
        (await DockerCli.Cli28.RunAsync(_server, "save", "-o", whole, "hello:v1")).Succeeded();
        await File.WriteAllBytesAsync(archive, File.ReadAllBytes(whole)[..bytes]);

        var result = await DockerCli.Cli28.RunAsync(_server, "load", "-i", archive);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the image archive is not a valid tar", result.Stderr);
    }

    [Fact]
    public async Task Load_over_an_existing_name_keeps_the_old_image_dangling_and_prune_removes_it()
    {
        var other = await TestImage.CreateAsync(_server, "other:v1", "a different file");
        var archive = Path.Combine(_server.Root, "other.tar");
        (await DockerCli.Cli28.RunAsync(_server, "save", "-o", archive, "other:v1")).Succeeded();
        (await DockerCli.Cli28.RunAsync(_server, "tag", "other:v1", "hello:v1")).Succeeded(); // hello:v1 moves away
        var dangling = (await DockerCli.Cli28.RunAsync(_server, "images", "-q", "--no-trunc", "--filter", "dangling=true")).Succeeded();
        Assert.Equal(_id, dangling.Stdout.Trim());

        var pruned = (await DockerCli.Cli28.RunAsync(_server, "image", "prune", "-f")).Succeeded();
        Assert.Contains($"deleted: {_id}", pruned.Stdout);
        Assert.Equal("", (await DockerCli.Cli28.RunAsync(_server, "images", "-q", "--filter", "dangling=true")).Stdout.Trim());
        Assert.Equal(TestImage.IdOf(_server, other), (await DockerCli.Cli28.RunAsync(_server, "image", "inspect", "-f", "{{.Id}}", "hello:v1")).Stdout.Trim());
    }

    [Fact]
    public async Task Save_of_an_unknown_image_fails_before_writing()
    {
        var result = await DockerCli.Cli28.RunAsync(_server, "save", "-o", Path.Combine(_server.Root, "x.tar"), "ghost");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("No such image: ghost:latest", result.Stderr);
    }

    [Fact]
    public async Task Load_of_something_that_is_not_an_image_archive_is_a_clear_error()
    {
        using var garbage = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("this is not a tar archive at all"));
        var result = await DockerCli.Cli28.RunAsync(_server, garbage, "load");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error response from daemon", result.Stderr);
    }

    [Fact]
    public async Task Docker_py_lists_and_removes_images()
    {
        var script = """
            import docker
            c = docker.DockerClient(base_url='unix://SOCKET', version='auto')
            print([t for i in c.images.list() for t in i.tags])
            c.images.get('hello:v1').tag('copy', 'x')
            c.images.remove('copy:x')
            print(c.images.get('hello:v1').id)
            """.Replace("SOCKET", _server.SocketPath);
        var result = await Python.RunAsync(script);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal($"['hello:v1']\n{_id}", result.Stdout.Trim());
    }
}
