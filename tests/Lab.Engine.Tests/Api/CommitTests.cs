using Lab.Engine.Tests.Support;
using Lab.Runtime.Archives;

namespace Lab.Engine.Tests.Api;

/// <summary><c>docker commit</c>: a changed container becomes an image that runs with the change.</summary>
public sealed class CommitTests : IAsyncLifetime
{
    EngineTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await EngineTestServer.StartAsync(sharedImageStore: true);
        await _server.StartMachineAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    Task<CliResult> Docker(params string[] args) => DockerCli.Cli28.RunAsync(_server, args);

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task A_committed_container_runs_as_a_new_image_with_its_changes_and_config(string cli)
    {
        var docker = DockerCli.Named(cli);
        var name = $"changed-{cli}";
        (await docker.RunAsync(_server, "run", "--name", name, "busybox", "sh", "-c", "echo committed > /greeting && rm /etc/group")).Succeeded();

        var id = (await docker.RunAsync(_server, "commit", "-m", "add a greeting", "-a", "Ana <ana@example.org>",
            "-c", "CMD [\"cat\", \"/greeting\"]", "-c", "ENV GREETING=yes", "-c", "EXPOSE 8080", name, $"snap-{cli}:v1")).Succeeded();
        Assert.StartsWith("sha256:", id.Stdout.Trim());

        Assert.Equal("committed", (await docker.RunAsync(_server, "run", "--rm", $"snap-{cli}:v1")).Succeeded().Stdout.Trim());
        var gone = await docker.RunAsync(_server, "run", "--rm", $"snap-{cli}:v1", "sh", "-c", "ls /etc/group 2>&1 || echo gone");
        Assert.Equal("gone", gone.Stdout.Trim().Split('\n')[^1]);
        var config = (await docker.RunAsync(_server, "image", "inspect", "-f",
            "{{json .Config.Cmd}} {{json .Config.ExposedPorts}} {{len .RootFS.Layers}} {{.Author}}", $"snap-{cli}:v1")).Succeeded();
        var baseLayers = (await docker.RunAsync(_server, "image", "inspect", "-f", "{{len .RootFS.Layers}}", "busybox")).Succeeded().Stdout.Trim();
        Assert.Equal($"[\"cat\",\"/greeting\"] {{\"8080/tcp\":{{}}}} {int.Parse(baseLayers) + 1} Ana <ana@example.org>", config.Stdout.Trim());
        var env = (await docker.RunAsync(_server, "run", "--rm", $"snap-{cli}:v1", "sh", "-c", "echo $GREETING")).Succeeded();
        Assert.Equal("yes", env.Stdout.Trim());
    }

    [Fact]
    public async Task A_running_container_is_committed_and_keeps_running()
    {
        (await Docker("run", "-d", "--name", "live", "busybox", "sh", "-c", "echo live > /state && sleep 300")).Succeeded();
        await WaitForFileAsync("live", "/state");

        (await Docker("commit", "live", "live-snap")).Succeeded();

        Assert.Equal("running", (await Docker("inspect", "-f", "{{.State.Status}}", "live")).Stdout.Trim());
        Assert.Equal("live", (await Docker("run", "--rm", "live-snap", "cat", "/state")).Succeeded().Stdout.Trim());
    }

    [Fact]
    public async Task A_commit_without_a_name_is_an_untagged_image()
    {
        (await Docker("create", "--name", "untouched", "busybox", "true")).Succeeded();
        var id = (await Docker("commit", "untouched")).Succeeded().Stdout.Trim();

        var dangling = (await Docker("images", "-q", "--no-trunc", "--filter", "dangling=true")).Succeeded();
        Assert.Contains(id, dangling.Stdout);
    }

    [Fact]
    public async Task An_unknown_change_instruction_is_refused_with_dockerds_words()
    {
        (await Docker("create", "--name", "c1", "busybox", "true")).Succeeded();
        var result = await Docker("commit", "-c", "RUN echo hi", "c1", "bad");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("RUN is not a valid change command", result.Stderr);
    }

    [Fact]
    public async Task A_committed_image_has_the_containers_image_as_parent_and_history_shows_the_parents_id()
    {
        (await Docker("run", "--name", "base-of", "busybox", "sh", "-c", "echo x > /x")).Succeeded();
        var child = (await Docker("commit", "-m", "snapshot", "base-of", "child:v1")).Succeeded().Stdout.Trim();

        var busybox = (await Docker("image", "inspect", "-f", "{{.Id}}", "busybox")).Succeeded().Stdout.Trim();
        Assert.Equal(busybox, (await Docker("image", "inspect", "-f", "{{.Parent}}", "child:v1")).Succeeded().Stdout.Trim());
        var history = (await Docker("history", "--no-trunc", "--format", "{{.ID}}|{{.Comment}}", "child:v1")).Succeeded()
            .Stdout.Trim().Split('\n');
        Assert.Equal($"{child}|snapshot", history[0]);
        Assert.Equal(busybox, history[1].Split('|')[0]); // the parent's newest layer, with its id
        Assert.All(history[2..], line => Assert.StartsWith("<missing>|", line));
    }

    [Fact]
    public async Task A_file_capability_goes_in_with_cp_through_commit_and_out_with_cp_and_export_byte_for_byte()
    {
        // cap_dac_override,cap_fowner,cap_net_raw+ep: permitted bits 0x200A, whose low byte is a newline.
        var local = Path.Combine(_server.Root, "tool");
        File.WriteAllText(local, "ELF\n");
        TestXattrs.Run("setcap", "cap_dac_override,cap_fowner,cap_net_raw+ep", local);
        var capability = TestXattrs.Get(local, "security.capability")!;
        Assert.Equal(0x0A, capability[4]);
        (await Docker("create", "--name", "capin", "busybox", "true")).Succeeded();

        (await Docker("cp", local, "capin:/tool")).Succeeded(); // the CLI's Go archive/tar writes the record
        (await Docker("commit", "capin", "withcap")).Succeeded();
        (await Docker("create", "--name", "capout", "withcap", "true")).Succeeded();
        var back = Path.Combine(_server.Root, "back");
        Directory.CreateDirectory(back);
        (await Docker("cp", "capout:/tool", back)).Succeeded(); // and its Go archive/tar reads it back
        var exported = Path.Combine(_server.Root, "capout.tar");
        (await Docker("export", "-o", exported, "capout")).Succeeded();

        Assert.Equal(capability, TestXattrs.Get(Path.Combine(back, "tool"), "security.capability"));
        await using var reader = new XattrTarReader(File.OpenRead(exported), leaveOpen: false);
        while (await reader.GetNextEntryAsync(CancellationToken.None) is { } entry && entry.Name != "tool") { }
        Assert.Equal(capability, reader.Xattrs["security.capability"]);
    }

    async Task WaitForFileAsync(string container, string path)
    {
        for (int i = 0; i < 100; i++)
        {
            if ((await Docker("exec", container, "test", "-e", path)).ExitCode == 0) return;
            await Task.Delay(50);
        }
        Assert.Fail($"{path} never appeared in {container}");
    }
}
