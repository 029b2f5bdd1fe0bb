using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary>The events dockerd logs for commit, cp and a build, read back with <c>docker events --since/--until</c>
/// through the real CLI.</summary>
public sealed class CommitCopyEventsTests(EngineMachineFixture machine) : IClassFixture<EngineMachineFixture>
{
    EngineTestServer Server => machine.Server;

    Task<CliResult> Docker(params string[] args) => DockerCli.Cli28.RunAsync(Server, args);

    static Task NextSecond() => Task.Delay(1100);

    async Task<string[]> Events(params string[] filters) =>
        (await Docker(["events", "--since", "1m", "--until", "0s", .. filters])).Succeeded()
            .Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Commit_logs_the_new_tag_and_a_commit_container_event()
    {
        var name = $"ev-commit-{Guid.NewGuid():N}"[..18];
        (await Docker("run", "--name", name, "busybox", "touch", "/made")).Succeeded();
        var id = (await Docker("commit", "-m", "a note", name, $"{name}:v1")).Succeeded().Stdout.Trim();
        await NextSecond();

        var commit = await Events("--filter", $"container={name}", "--filter", "event=commit", "--format",
            "{{.Action}} {{.Actor.Attributes.comment}}|{{.Actor.Attributes.imageID}}|{{.Actor.Attributes.imageRef}}|{{.Actor.Attributes.image}}");
        Assert.Equal([$"commit a note|{id}|{name}:v1|busybox"], commit);
        var tag = await Events("--filter", "type=image", "--filter", "event=tag", "--filter", $"image={id}",
            "--format", "{{.Action}} {{.Actor.Attributes.name}}");
        Assert.Equal([$"tag {name}:v1"], tag);
        (await Docker("rm", name)).Succeeded();
    }

    [Fact]
    public async Task Copying_in_and_out_logs_extract_to_dir_and_archive_path()
    {
        var name = $"ev-cp-{Guid.NewGuid():N}"[..14];
        (await Docker("create", "--name", name, "busybox")).Succeeded();
        var file = Path.Combine(Server.Root, $"{name}.txt");
        File.WriteAllText(file, "in\n");
        (await Docker("cp", file, $"{name}:/in.txt")).Succeeded();
        (await Docker("cp", $"{name}:/in.txt", Path.Combine(Server.Root, $"{name}-out.txt"))).Succeeded();
        await NextSecond();

        var events = await Events("--filter", $"container={name}", "--filter", "event=extract-to-dir",
            "--filter", "event=archive-path", "--format", "{{.Action}} {{.Actor.Attributes.name}}");
        Assert.Equal([$"extract-to-dir {name}", $"archive-path {name}"], events);
        (await Docker("rm", name)).Succeeded();
    }

    [Fact]
    public async Task A_build_logs_its_step_containers_and_the_tag()
    {
        var tag = $"evbuild{Guid.NewGuid():N}"[..14];
        var dir = Directory.CreateDirectory(Path.Combine(Server.Root, tag)).FullName;
        File.WriteAllText(Path.Combine(dir, "Dockerfile"), $"FROM busybox\nRUN echo {tag} > /f\n");
        var output = (await Docker("build", "-t", tag, dir)).Succeeded().Stdout;
        var step = System.Text.RegularExpressions.Regex.Match(output, "Running in ([0-9a-f]{12})").Groups[1].Value;
        await NextSecond();

        var containers = await Events("--filter", "type=container", "--format", "{{.Action}} {{.Actor.ID}}");
        Assert.Equal(["create", "start", "die", "destroy"],
            containers.Where(l => l.Split(' ')[^1].StartsWith(step, StringComparison.Ordinal)).Select(l => l.Split(' ')[0]));
        var tags = await Events("--filter", "type=image", "--filter", "event=tag", "--format", "{{.Actor.Attributes.name}}");
        Assert.Contains($"{tag}:latest", tags);
    }
}
