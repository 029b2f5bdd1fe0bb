using System.Text.Json;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary><c>docker system df</c> (and -v) through the real CLIs, and <c>docker system prune</c>, which the
/// CLI composes from the prune endpoints.</summary>
public sealed class SystemDfTests(EngineMachineFixture machine) : IClassFixture<EngineMachineFixture>
{
    EngineTestServer Server => machine.Server;

    Task<CliResult> Docker(params string[] args) => DockerCli.Cli28.RunAsync(Server, args);

    [Fact]
    public async Task Df_counts_the_writable_layer_of_a_container_and_the_images_layers()
    {
        var name = $"df-{Guid.NewGuid():N}"[..12];
        (await Docker("run", "--name", name, "busybox", "sh", "-c", "head -c 300000 /dev/zero > /big")).Succeeded();

        var df = await Server.GetJsonAsync("/v1.50/system/df");
        var container = df.GetProperty("Containers").EnumerateArray().Single(c => c.GetProperty("Names")[0].GetString() == "/" + name);
        var image = df.GetProperty("Images").EnumerateArray().Single(i => i.GetProperty("RepoTags").EnumerateArray().Any(t => t.GetString() == "busybox:latest"));
        var rw = container.GetProperty("SizeRw").GetInt64();
        Assert.InRange(rw, 300_000, 400_000);
        Assert.Equal(rw + image.GetProperty("Size").GetInt64(), container.GetProperty("SizeRootFs").GetInt64());
        Assert.True(image.GetProperty("Containers").GetInt32() >= 1);
        Assert.Equal(0, image.GetProperty("SharedSize").GetInt64()); // the only image with these layers
        Assert.Equal(image.GetProperty("Size").GetInt64(), df.GetProperty("LayersSize").GetInt64());
        Assert.Equal(JsonValueKind.Array, df.GetProperty("Volumes").ValueKind);
        Assert.Empty(df.GetProperty("BuildCache").EnumerateArray());

        var verbose = (await Docker("system", "df", "-v")).Succeeded();
        Assert.Matches($@"\b{name}\n", verbose.Stdout + "\n");
        Assert.Contains("300kB", verbose.Stdout.Split('\n').Single(l => l.EndsWith(name)));
        (await Docker("rm", name)).Succeeded();
    }

    [Fact]
    public async Task Df_counts_a_volumes_bytes_and_its_containers_and_not_what_a_symlink_in_it_points_to()
    {
        var volume = $"dfv-{Guid.NewGuid():N}"[..12];
        var name = $"df-{Guid.NewGuid():N}"[..12];
        // 200 kB of data, and a symlink to the machine's whole /usr that the walk must not follow.
        (await Docker("run", "--name", name, "-v", volume + ":/data", "busybox", "sh", "-c",
            "head -c 200000 /dev/zero > /data/blob && ln -s / /data/root")).Succeeded();

        var df = await Server.GetJsonAsync("/v1.50/system/df");
        var entry = df.GetProperty("Volumes").EnumerateArray().Single(v => v.GetProperty("Name").GetString() == volume);
        Assert.InRange(entry.GetProperty("UsageData").GetProperty("Size").GetInt64(), 200_000, 200_100);
        Assert.Equal(1, entry.GetProperty("UsageData").GetProperty("RefCount").GetInt64());
        var verbose = (await Docker("system", "df", "-v")).Succeeded();
        Assert.Contains("200kB", verbose.Stdout.Split('\n').Single(l => l.StartsWith(volume)));

        (await Docker("rm", name)).Succeeded();
        df = await Server.GetJsonAsync("/v1.50/system/df");
        entry = df.GetProperty("Volumes").EnumerateArray().Single(v => v.GetProperty("Name").GetString() == volume);
        Assert.Equal(0, entry.GetProperty("UsageData").GetProperty("RefCount").GetInt64());
        (await Docker("volume", "rm", volume)).Succeeded();
    }

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Df_prints_the_summary_table(string cli)
    {
        var df = (await DockerCli.Named(cli).RunAsync(Server, "system", "df")).Succeeded();
        var lines = df.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Matches(@"^TYPE\s+TOTAL\s+ACTIVE\s+SIZE\s+RECLAIMABLE$", lines[0]);
        Assert.Matches(@"^Images\s+\d+\s+\d+\s+\S+\s+\S+", lines[1]);
        Assert.Matches(@"^Containers\s+\d+\s+\d+\s+\S+", lines[2]);
        Assert.Matches(@"^Local Volumes\s+0\s+0\s+0B\s+0B", lines[3]);
        Assert.Matches(@"^Build Cache\s+0\s+0\s+0B\s+0B", lines[4]);
    }

    [Fact]
    public async Task Df_with_a_type_computes_only_that_part_and_refuses_unknown_ones()
    {
        var images = await Server.GetJsonAsync("/v1.50/system/df?type=image");
        using var unknown = await Server.Http.GetAsync("/v1.50/system/df?type=socks");

        Assert.Equal(JsonValueKind.Array, images.GetProperty("Images").ValueKind);
        Assert.Equal(JsonValueKind.Null, images.GetProperty("Containers").ValueKind);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("unknown object type: socks", await unknown.Content.ReadAsStringAsync());
    }

    /// <summary>The CLI prunes containers, then networks, images and the build cache, stopping at the first
    /// error: every step must succeed.</summary>
    [Fact]
    public async Task System_prune_removes_stopped_containers_and_keeps_running_ones_and_tagged_images()
    {
        var name = $"pr-{Guid.NewGuid():N}"[..12];
        var stopped = (await Docker("create", "--name", name, "busybox", "true")).Succeeded().Stdout.Trim();
        var running = (await Docker("run", "-d", "busybox", "sleep", "300")).Succeeded().Stdout.Trim();

        var prune = await Docker("system", "prune", "-f");

        Assert.True(prune.ExitCode == 0, prune.Stderr);
        Assert.Contains($"Deleted Containers:\n{stopped}", prune.Stdout);
        Assert.Contains("Total reclaimed space:", prune.Stdout);
        var left = (await Docker("ps", "-a", "-q", "--no-trunc")).Succeeded().Stdout;
        Assert.DoesNotContain(stopped, left);
        Assert.Contains(running, left);
        Assert.Contains("busybox", (await Docker("images", "--format", "{{.Repository}}")).Succeeded().Stdout);
        (await Docker("rm", "-f", running)).Succeeded();
    }
}
