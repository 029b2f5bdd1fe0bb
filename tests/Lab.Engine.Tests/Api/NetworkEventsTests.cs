using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary>`docker events --filter type=network` through the real CLI: create, connect, disconnect and destroy with
/// dockerd's actor (the network's id) and attributes (name, type, container).</summary>
public sealed class NetworkEventsTests(NetworkMachineFixture machine) : IClassFixture<NetworkMachineFixture>
{
    Task<CliResult> Docker(params string[] args) => machine.Docker(args);

    /// <summary>The CLI sends --until as whole seconds: events of the current second come after it.</summary>
    static Task NextSecond() => Task.Delay(1100);

    [Fact]
    public async Task A_containers_life_on_two_networks_gives_dockerds_network_events()
    {
        var first = NetworkMachineFixture.Unique("evnet");
        var second = NetworkMachineFixture.Unique("evnet");
        var c = NetworkMachineFixture.Unique("evc");
        var firstId = (await Docker("network", "create", first)).Succeeded().Stdout.Trim();
        var secondId = (await Docker("network", "create", second)).Succeeded().Stdout.Trim();
        var id = (await Docker("run", "-d", "--name", c, "--network", first, "busybox", "sleep", "60")).Succeeded().Stdout.Trim();
        (await Docker("network", "connect", second, c)).Succeeded();
        (await Docker("network", "disconnect", second, c)).Succeeded();
        (await Docker("rm", "-f", c)).Succeeded();
        (await Docker("network", "rm", first, second)).Succeeded();
        await NextSecond();

        var events = (await Docker("events", "--since", "1m", "--until", "0s", "--filter", "type=network",
            "--format", "{{.Type}} {{.Action}} {{.Actor.ID}} {{.Actor.Attributes.name}} {{.Actor.Attributes.type}} {{.Actor.Attributes.container}}"))
            .Succeeded().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.Contains($" {first} ") || line.Contains($" {second} "));

        Assert.Equal(
        [
            $"network create {firstId} {first} bridge <no value>",
            $"network create {secondId} {second} bridge <no value>",
            $"network connect {firstId} {first} bridge {id}",
            $"network connect {secondId} {second} bridge {id}",
            $"network disconnect {secondId} {second} bridge {id}",
            $"network disconnect {firstId} {first} bridge {id}",
            $"network destroy {firstId} {first} bridge <no value>",
            $"network destroy {secondId} {second} bridge <no value>",
        ], events);
    }

    [Fact]
    public async Task The_default_bridge_reports_a_containers_start_and_exit_and_the_container_no_connect()
    {
        var c = NetworkMachineFixture.Unique("evbr");
        var id = (await Docker("run", "-d", "--name", c, "busybox", "true")).Succeeded().Stdout.Trim();
        (await Docker("wait", c)).Succeeded();
        (await Docker("rm", c)).Succeeded();
        await NextSecond();

        var networkEvents = (await Docker("events", "--since", "1m", "--until", "0s", "--filter", "type=network", "--filter", "network=bridge",
            "--format", "{{.Action}} {{.Actor.Attributes.name}} {{.Actor.Attributes.container}}")).Succeeded().Stdout;
        var containerEvents = (await Docker("events", "--since", "1m", "--until", "0s", "--filter", $"container={c}",
            "--format", "{{.Type}} {{.Action}}")).Succeeded().Stdout;

        Assert.Equal([$"connect bridge {id}", $"disconnect bridge {id}"],
            networkEvents.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.EndsWith(id)));
        Assert.DoesNotContain("connect", containerEvents); // dockerd logs these as network events only
        Assert.Contains("container start", containerEvents);
    }
}
