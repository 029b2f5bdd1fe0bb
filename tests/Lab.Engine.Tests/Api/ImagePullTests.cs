using Lab.Engine.Tests.Support;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Tests.Api;

/// <summary>`docker pull` and `docker run` of a missing image through the real CLI: docker.io/library comes from the
/// classroom registry over HTTP into the machine's own names, with dockerd's progress stream.</summary>
public sealed class ImagePullTests : IAsyncLifetime
{
    LibraryRegistryMachine _machine = null!;

    string _name => _machine.Name;
    EngineTestServer _server => _machine.Server;

    public async Task InitializeAsync() => _machine = await LibraryRegistryMachine.StartAsync("pull");

    public async Task DisposeAsync() => await _machine.DisposeAsync();

    Task<CliResult> Docker(params string[] args) => DockerCli.Named("cli28").RunAsync(_server, args);

    [Fact]
    public async Task Pull_brings_the_image_from_the_classroom_registry_and_run_uses_it()
    {
        var pull = (await Docker("pull", _name)).Succeeded();
        var again = (await Docker("pull", _name)).Succeeded();
        var run = (await Docker("run", "--rm", _name, "echo", "pulled and running")).Succeeded();
        var images = (await Docker("images", "--format", "{{.Repository}}:{{.Tag}}")).Succeeded();

        var digest = new TagStore(TestImages.StoreDir, ImageStore.Library).Resolve(Reference.Parse(_name))!.Digest;
        Assert.Contains($"Digest: {digest}", pull.Stdout); // the layers are already in the (shared) store
        Assert.Contains($"Status: Downloaded newer image for {_name}:latest", pull.Stdout);
        Assert.Contains("Status: Image is up to date", again.Stdout);
        Assert.Equal("pulled and running\n", run.Stdout);
        Assert.Contains($"{_name}:latest", images.Stdout);
    }

    [Fact]
    public async Task Run_of_a_missing_image_pulls_it_first_and_an_unknown_one_fails_clearly()
    {
        var run = (await Docker("run", "--rm", _name, "echo", "auto-pulled")).Succeeded();
        var unknown = await Docker("pull", "no-such-image-anywhere");

        Assert.Contains($"Unable to find image '{_name}:latest' locally", run.Stderr);
        Assert.EndsWith("auto-pulled\n", run.Stdout);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("no-such-image-anywhere", unknown.Stderr);
    }
}
