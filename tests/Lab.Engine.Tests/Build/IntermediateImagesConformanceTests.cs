using System.Text.RegularExpressions;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Build;

/// <summary>The classic builder's step images, checked against Debian's dockerd with the same Dockerfile: each
/// step leaves an untagged image with a parent that only <c>docker images -a</c> lists, <c>docker history</c>
/// shows their ids, <c>docker rmi</c> of the built image deletes them too (and with them the cache), and a failed
/// RUN leaves a container showing its step image's id.</summary>
public sealed partial class IntermediateImagesConformanceTests : IAsyncLifetime
{
    EngineTestServer _server = null!;
    PrivateDockerd _dockerd = null!;
    string _dir = "";

    public async Task InitializeAsync()
    {
        _server = await EngineTestServer.StartAsync(sharedImageStore: true);
        await _server.StartMachineAsync();
        _dockerd = await PrivateDockerd.StartAsync();
        await _dockerd.ImportRootfsAsync(await TestImages.Busybox.EnsureBuiltAsync(), "busybox");
        _dir = Directory.CreateDirectory(Path.Combine(_server.Root, "ctx")).FullName;
    }

    public async Task DisposeAsync()
    {
        await _dockerd.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Step_images_are_listed_with_all_shown_in_history_and_deleted_with_the_built_image()
    {
        File.WriteAllText(Path.Combine(_dir, "Dockerfile"), "FROM busybox\nRUN echo a > /a\nENV X=1\nCMD [\"sh\"]\n");
        foreach (var side in Sides())
        {
            (await side.Run("build", "-t", "steps", _dir)).Succeeded();
            var tagged = Lines((await side.Run("images", "-q")).Succeeded().Stdout);
            var all = Lines((await side.Run("images", "-a", "-q")).Succeeded().Stdout);
            Assert.True(tagged.Count == 2, $"{side.Name}: docker images -q: {string.Join(',', tagged)}");
            Assert.True(all.Count == 4, $"{side.Name}: docker images -a -q: {string.Join(',', all)}");

            var history = Lines((await side.Run("history", "-q", "steps")).Succeeded().Stdout);
            var intermediates = all.Except(tagged).ToList();
            Assert.True(history.Take(3).All(id => ShortId().IsMatch(id)), $"{side.Name}: history {string.Join(',', history)}");
            Assert.True(intermediates.All(history.Contains), $"{side.Name}: history {string.Join(',', history)} lacks {string.Join(',', intermediates)}");
            var parent = (await side.Run("image", "inspect", "-f", "{{.Parent}}", "steps")).Succeeded().Stdout.Trim();
            Assert.StartsWith("sha256:" + history[1], parent);

            var cached = (await side.Run("build", "-t", "steps", _dir)).Succeeded().Stdout;
            Assert.Equal(3, Regex.Count(cached, "Using cache"));
        }

        var removals = new List<string>();
        foreach (var side in Sides())
        {
            var removed = (await side.Run("rmi", "steps")).Succeeded().Stdout;
            removals.Add(Regex.Replace(removed, "[0-9a-f]{64}", "<id>"));
            Assert.Single(Lines((await side.Run("images", "-a", "-q")).Succeeded().Stdout));
            var rebuilt = (await side.Run("build", "-t", "steps", _dir)).Succeeded().Stdout;
            Assert.DoesNotContain("Using cache", rebuilt);
        }
        // Three images, then the RUN step's layer (its chain id), as dockerd releases it.
        Assert.Equal("Untagged: steps:latest\nDeleted: sha256:<id>\nDeleted: sha256:<id>\nDeleted: sha256:<id>\nDeleted: sha256:<id>\n", removals[0]);
        Assert.Equal(removals[0], removals[1]);
    }

    [Fact]
    public async Task A_failed_RUN_leaves_its_container_with_the_step_image_id()
    {
        var failing = Path.Combine(_dir, "failing");
        Directory.CreateDirectory(failing);
        File.WriteAllText(Path.Combine(failing, "Dockerfile"), "FROM busybox\nENV STEP=2\nRUN exit 3\n");
        var shown = new List<(int Images, int All)>();
        foreach (var side in Sides())
        {
            var build = await side.Run("build", failing);
            Assert.Equal(3, build.ExitCode);
            var stepImage = Regex.Matches(build.Stdout, " ---> ([0-9a-f]{12})\n")[^1].Groups[1].Value;
            var image = (await side.Run("ps", "-a", "--filter", "status=exited", "--format", "{{.Image}}")).Succeeded().Stdout.Trim();
            Assert.True(image == stepImage, $"{side.Name}: docker ps -a shows {image}, the step image is {stepImage}");
            shown.Add((Lines((await side.Run("images", "-q")).Succeeded().Stdout).Count,
                Lines((await side.Run("images", "-a", "-q")).Succeeded().Stdout).Count));
        }
        Assert.Equal(shown[0], shown[1]);
    }

    /// <summary>dockerd first, then Lab, each through CLI 28.</summary>
    IEnumerable<Side> Sides() =>
    [
        new("dockerd", async args => (await _dockerd.RunAsync(args)) is var r ? new CliResult(r.ExitCode, r.Stdout, r.Stderr) : null!),
        new("lab", args => DockerCli.Cli28.RunAsync(_server, args)),
    ];

    sealed record Side(string Name, Func<string[], Task<CliResult>> Runner)
    {
        public Task<CliResult> Run(params string[] args) => Runner(args);
    }

    static List<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    [GeneratedRegex("^[0-9a-f]{12}$")]
    private static partial Regex ShortId();
}
