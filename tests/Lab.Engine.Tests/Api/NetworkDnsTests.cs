using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary>User-defined networks through the real CLI: containers reach each other by name, short id and
/// --network-alias through the embedded DNS, and nothing crosses from one network to another.</summary>
public sealed class NetworkDnsTests(NetworkMachineFixture machine) : IClassFixture<NetworkMachineFixture>
{
    Task<CliResult> Docker(params string[] args) => machine.Docker(args);

    async Task<string> StartWebAsync(string network, string name, params string[] extra)
    {
        (await Docker(["run", "-d", "--name", name, "--network", network, .. extra, "busybox", "sh", "-c",
            $"mkdir /www && echo hello-from-{name} > /www/index.html && exec httpd -f -p 80 -h /www"])).Succeeded();
        return (await Docker("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}", name)).Succeeded().Stdout.Trim();
    }

    [Fact]
    public async Task Containers_on_a_user_network_reach_each_other_by_name_id_and_alias()
    {
        var net = NetworkMachineFixture.Unique("front");
        var web = NetworkMachineFixture.Unique("web");
        (await Docker("network", "create", net)).Succeeded();
        var ip = await StartWebAsync(net, web, "--network-alias", "www");
        var id = (await Docker("inspect", "-f", "{{.Id}}", web)).Succeeded().Stdout.Trim()[..12];

        var result = (await machine.RunOnce("--network", net, "busybox", "sh", "-c",
            $"wget -qO- http://{web}/ && wget -qO- http://www/ && wget -qO- http://{id}/ && ping -c1 -W2 {web} >/dev/null && echo pinged && cat /etc/resolv.conf")).Succeeded();

        Assert.Matches(@"^172\.(1[89]|2\d|3[01])\.0\.2$", ip);
        var lines = result.Stdout.Split('\n');
        Assert.Equal([$"hello-from-{web}", $"hello-from-{web}", $"hello-from-{web}", "pinged"], lines[..4]);
        Assert.Contains("nameserver 127.0.0.11", lines);
        (await Docker("rm", "-f", web)).Succeeded();
        (await Docker("network", "rm", net)).Succeeded();
    }

    [Fact]
    public async Task Names_do_not_resolve_and_addresses_are_unreachable_across_networks()
    {
        var (a, b) = (NetworkMachineFixture.Unique("neta"), NetworkMachineFixture.Unique("netb"));
        var web = NetworkMachineFixture.Unique("web");
        (await Docker("network", "create", a)).Succeeded();
        (await Docker("network", "create", b)).Succeeded();
        var ip = await StartWebAsync(a, web);

        var byName = await machine.RunOnce("--network", b, "busybox", "ping", "-c1", "-W2", web);
        var byAddress = await machine.RunOnce("--network", b, "busybox", "ping", "-c1", "-W2", ip);
        var fromDefault = await machine.RunOnce("busybox", "wget", "-T2", "-qO-", $"http://{ip}/");
        var sameNetwork = await machine.RunOnce("--network", a, "busybox", "ping", "-c1", "-W2", ip);

        Assert.NotEqual(0, byName.ExitCode);
        Assert.Contains("bad address", byName.Stderr + byName.Stdout);
        Assert.NotEqual(0, byAddress.ExitCode);
        Assert.Contains("0 packets received", byAddress.Stdout);
        Assert.NotEqual(0, fromDefault.ExitCode);
        sameNetwork.Succeeded();
        (await Docker("rm", "-f", web)).Succeeded();
        (await Docker("network", "rm", a, b)).Succeeded();
    }

    [Fact]
    public async Task The_default_bridge_has_no_embedded_dns()
    {
        var web = NetworkMachineFixture.Unique("web");
        await StartWebAsync("bridge", web);
        var result = await machine.RunOnce("--dns-option", "timeout:1", "--dns-option", "attempts:1", "busybox", "sh", "-c", $"cat /etc/resolv.conf; ping -c1 -W1 {web}");
        Assert.True(result.ExitCode != 0, result.Stdout + result.Stderr);
        Assert.DoesNotContain("127.0.0.11", result.Stdout);
        Assert.True(result.Stdout.Contains("nameserver "), result.Stdout + result.Stderr);
        Assert.Contains("options timeout:1 attempts:1", result.Stdout);
        Assert.Contains("bad address", result.Stderr);
        (await Docker("rm", "-f", web)).Succeeded();
    }

    [Fact]
    public async Task Cli20_runs_containers_on_user_networks_with_aliases()
    {
        var net = NetworkMachineFixture.Unique("old");
        var web = NetworkMachineFixture.Unique("web");
        (await machine.Docker20("network", "create", net)).Succeeded();
        (await machine.Docker20("run", "-d", "--name", web, "--network", net, "--network-alias", "legacy", "busybox", "sh", "-c",
            "mkdir /www && echo from-cli20 > /www/index.html && exec httpd -f -p 80 -h /www")).Succeeded();
        var name = NetworkMachineFixture.Unique("once");

        var result = await machine.Docker20("run", "--name", name, "--network", net, "busybox", "wget", "-qO-", "http://legacy/");
        var aliases = (await machine.Docker20("inspect", "-f", $"{{{{json (index .NetworkSettings.Networks \"{net}\").Aliases}}}}", web)).Succeeded().Stdout.Trim();

        Assert.Equal("from-cli20\n", result.Succeeded().Stdout);
        Assert.Contains("\"legacy\"", aliases);
        (await Docker("rm", "-f", web, name)).Succeeded();
        (await Docker("network", "rm", net)).Succeeded();
    }
}
