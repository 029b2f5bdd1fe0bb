using System.Text.Json;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary><c>docker events</c> through the real CLIs: the past window with --since/--until, filters, the live
/// stream in dockerd's JSON shape, and image events.</summary>
public sealed class EventsTests(EngineMachineFixture machine) : IClassFixture<EngineMachineFixture>
{
    EngineTestServer Server => machine.Server;

    Task<CliResult> Docker(params string[] args) => DockerCli.Cli28.RunAsync(Server, args);

    /// <summary>The CLI sends --until as whole seconds ("0s" = now, truncated), as dockerd reads it: events of
    /// the current second are after it. Scripts against dockerd wait for the next second the same way.</summary>
    static Task NextSecond() => Task.Delay(1100);

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Events_since_until_with_an_event_filter_prints_the_start_as_dockerd(string cli)
    {
        var name = $"ev-{cli}-{Guid.NewGuid():N}"[..16];
        var id = (await Docker("run", "-d", "--name", name, "--label", "course=docker", "busybox", "true")).Succeeded().Stdout.Trim();
        (await Docker("wait", name)).Succeeded();
        await NextSecond();

        var events = (await DockerCli.Named(cli).RunAsync(Server, "events", "--since", "1m", "--until", "0s",
            "--filter", "event=start", "--filter", $"container={name}")).Succeeded();

        // 2026-11-23T14:30:00.123456789Z container start <id> (course=docker, image=busybox, name=…)
        var line = Assert.Single(events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(Z|[+-]\d\d:\d\d) container start ", line);
        Assert.EndsWith($"container start {id} (course=docker, image=busybox, name={name})", line);
    }

    [Fact]
    public async Task The_past_window_keeps_the_order_and_the_filters_of_dockerd()
    {
        var name = $"ev-order-{Guid.NewGuid():N}"[..16];
        (await Docker("run", "--name", name, "busybox", "true")).Succeeded();
        (await Docker("rm", name)).Succeeded();
        await NextSecond();

        var all = (await Docker("events", "--since", "1m", "--until", "0s", "--filter", $"container={name}",
            "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}")).Succeeded();
        var exitOnly = (await Docker("events", "--since", "1m", "--until", "0s", "--filter", $"container={name}",
            "--filter", "event=die", "--format", "{{.Action}} {{index .Actor.Attributes \"exitCode\"}}")).Succeeded();
        var images = (await Docker("events", "--since", "1m", "--until", "0s", "--filter", $"container={name}",
            "--filter", "type=image")).Succeeded();

        Assert.Equal(
            [$"container create {name}", $"container attach {name}", $"container start {name}", $"container die {name}", $"container destroy {name}"],
            all.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("die 0", exitOnly.Stdout.Trim());
        Assert.Equal("", images.Stdout);
    }

    [Fact]
    public async Task The_live_stream_sends_dockerds_json_objects_as_they_happen()
    {
        var name = $"ev-live-{Guid.NewGuid():N}"[..16];
        var filters = Uri.EscapeDataString("{\"container\":{\"" + name + "\":true},\"event\":{\"create\":true}}");
        using var response = await Server.Http.GetAsync($"/v1.50/events?filters={filters}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var next = reader.ReadLineAsync();

        var id = (await Docker("create", "--name", name, "busybox", "true")).Succeeded().Stdout.Trim();
        var line = await next.WaitAsync(TimeSpan.FromSeconds(20));

        var e = JsonDocument.Parse(line!).RootElement;
        Assert.Equal(["status", "id", "from", "Type", "Action", "Actor", "scope", "time", "timeNano"], e.EnumerateObject().Select(p => p.Name));
        Assert.Equal("create", e.GetProperty("status").GetString());
        Assert.Equal(id, e.GetProperty("id").GetString());
        Assert.Equal("busybox", e.GetProperty("from").GetString());
        Assert.Equal("container", e.GetProperty("Type").GetString());
        Assert.Equal(id, e.GetProperty("Actor").GetProperty("ID").GetString());
        Assert.Equal(name, e.GetProperty("Actor").GetProperty("Attributes").GetProperty("name").GetString());
        Assert.Equal("local", e.GetProperty("scope").GetString());
        var nano = e.GetProperty("timeNano").GetInt64();
        Assert.Equal(e.GetProperty("time").GetInt64(), nano / 1_000_000_000);
        Assert.InRange(DateTimeOffset.UnixEpoch.AddTicks(nano / 100), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        (await Docker("rm", name)).Succeeded();
    }

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Docker_events_prints_new_events_as_they_come(string cli)
    {
        var name = $"ev-stream-{cli}-{Guid.NewGuid():N}"[..20];
        var start = new System.Diagnostics.ProcessStartInfo(DockerCli.Named(cli).Path)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            ArgumentList = { "events", "--filter", $"container={name}" },
        };
        start.Environment["DOCKER_HOST"] = "unix://" + Server.SocketPath;
        start.Environment["DOCKER_CONFIG"] = Path.Combine(Server.Root, "docker-config");
        using var events = System.Diagnostics.Process.Start(start)!;
        try
        {
            await Task.Delay(1000); // connected and listening
            var id = (await Docker("create", "--name", name, "busybox", "true")).Succeeded().Stdout.Trim();
            (await Docker("rm", name)).Succeeded();

            var create = await events.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            var destroy = await events.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.EndsWith($"container create {id} (image=busybox, name={name})", create);
            Assert.EndsWith($"container destroy {id} (image=busybox, name={name})", destroy);
        }
        finally
        {
            events.Kill();
            await events.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Exec_is_logged_as_dockerd_logs_it()
    {
        var name = $"ev-exec-{Guid.NewGuid():N}"[..16];
        (await Docker("run", "-d", "--name", name, "busybox", "sleep", "300")).Succeeded();
        (await Docker("exec", name, "sh", "-c", "exit 3")).ExitCode.ToString();
        await NextSecond();

        var events = (await Docker("events", "--since", "1m", "--until", "0s", "--filter", $"container={name}",
            "--filter", "event=exec_create", "--filter", "event=exec_start", "--filter", "event=exec_die",
            "--format", "{{.Action}} {{index .Actor.Attributes \"exitCode\"}}")).Succeeded();
        (await Docker("rm", "-f", name)).Succeeded();

        Assert.Equal(["exec_create: sh -c exit 3 ", "exec_start: sh -c exit 3 ", "exec_die 3"],
            events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_tty_resize_is_logged_with_its_size()
    {
        var name = $"ev-tty-{Guid.NewGuid():N}"[..16];
        (await Docker("run", "-d", "-t", "--name", name, "busybox", "sleep", "300")).Succeeded();
        using (var resize = await Server.Http.PostAsync($"/v1.50/containers/{name}/resize?h=30&w=100", null))
            Assert.True(resize.IsSuccessStatusCode, await resize.Content.ReadAsStringAsync());
        await NextSecond();

        var events = (await Docker("events", "--since", "1m", "--until", "0s", "--filter", $"container={name}",
            "--filter", "event=resize", "--format", "{{.Action}} {{.Actor.Attributes.height}}x{{.Actor.Attributes.width}}")).Succeeded();
        (await Docker("rm", "-f", name)).Succeeded();

        Assert.Equal("resize 30x100", events.Stdout.Trim());
    }

    [Fact]
    public async Task Tag_and_rmi_are_image_events()
    {
        var repo = $"evimg{Guid.NewGuid():N}"[..12];
        var id = (await Docker("image", "inspect", "-f", "{{.Id}}", "busybox")).Succeeded().Stdout.Trim();
        (await Docker("tag", "busybox", $"{repo}:1")).Succeeded();
        (await Docker("rmi", $"{repo}:1")).Succeeded();
        await NextSecond();

        var events = (await Docker("events", "--since", "1m", "--until", "0s", "--filter", "type=image",
            "--filter", $"image={id}", "--format", "{{.Action}} {{.Actor.ID}} {{.Actor.Attributes.name}}")).Succeeded();
        var lines = events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains($"tag {id} {repo}:1", lines);
        Assert.Contains($"untag {id} {id}", lines);
    }

    [Fact]
    public async Task Since_after_until_and_unknown_filters_are_refused()
    {
        var reversed = await Docker("events", "--since", "0s", "--until", "5m");
        var unknown = await Docker("events", "--since", "1m", "--until", "0s", "--filter", "colour=blue");

        Assert.NotEqual(0, reversed.ExitCode);
        Assert.Contains("cannot be after `until` time", reversed.Stderr);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("invalid filter 'colour'", unknown.Stderr);
    }
}
