using System.Text.Json;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary>`docker network create/ls/inspect/rm/prune/connect/disconnect` through the real CLIs, with dockerd's
/// shapes and refusals.</summary>
public sealed class NetworkCommandTests(NetworkMachineFixture machine) : IClassFixture<NetworkMachineFixture>
{
    Task<CliResult> Docker(params string[] args) => machine.Docker(args);

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Ls_lists_the_predefined_networks_and_created_ones(string cli)
    {
        var net = NetworkMachineFixture.Unique("listed");
        var id = (await DockerCli.Named(cli).RunAsync(machine.Server, "network", "create", "--label", "course=docker", net)).Succeeded().Stdout.Trim();
        var ls = (await Docker("network", "ls", "--format", "{{.Name}} {{.Driver}} {{.Scope}}")).Succeeded().Stdout;
        var filtered = (await Docker("network", "ls", "-q", "--filter", "label=course=docker", "--filter", $"name={net}")).Succeeded().Stdout.Trim();

        Assert.Contains("bridge bridge local\n", ls);
        Assert.Contains("host host local\n", ls);
        Assert.Contains("none null local\n", ls);
        Assert.Contains($"{net} bridge local\n", ls);
        Assert.Matches("^[0-9a-f]{64}$", id);
        Assert.Equal(id[..12], filtered);
        (await Docker("network", "rm", net)).Succeeded();
    }

    [Fact]
    public async Task Create_takes_subnet_gateway_and_ip_range_and_inspect_shows_them_with_containers()
    {
        var net = NetworkMachineFixture.Unique("lan");
        var c = NetworkMachineFixture.Unique("fixed");
        (await Docker("network", "create", "--subnet", "10.42.0.0/24", "--gateway", "10.42.0.254", "--ip-range", "10.42.0.128/25", net)).Succeeded();
        (await Docker("run", "-d", "--name", c, "--network", net, "--ip", "10.42.0.7", "busybox", "sleep", "60")).Succeeded();
        var ranged = NetworkMachineFixture.Unique("ranged");
        (await Docker("run", "-d", "--name", ranged, "--network", net, "busybox", "sleep", "60")).Succeeded();

        var inspect = JsonDocument.Parse((await Docker("network", "inspect", net)).Succeeded().Stdout).RootElement[0];
        var config = inspect.GetProperty("IPAM").GetProperty("Config")[0];
        var addresses = inspect.GetProperty("Containers").EnumerateObject()
            .ToDictionary(p => p.Value.GetProperty("Name").GetString()!, p => p.Value.GetProperty("IPv4Address").GetString());
        var inside = (await Docker("exec", c, "ip", "-o", "-4", "addr", "show", "eth0")).Succeeded().Stdout;
        var route = (await Docker("exec", c, "ip", "route")).Succeeded().Stdout;
        var endpoint = (await Docker("inspect", "-f", $"{{{{json (index .NetworkSettings.Networks \"{net}\").IPAMConfig}}}} {{{{.NetworkSettings.IPAddress}}}}|", c)).Succeeded().Stdout.Trim();

        Assert.Equal("10.42.0.0/24", config.GetProperty("Subnet").GetString());
        Assert.Equal("10.42.0.254", config.GetProperty("Gateway").GetString());
        Assert.Equal("10.42.0.128/25", config.GetProperty("IPRange").GetString());
        Assert.Equal("10.42.0.7/24", addresses[c]);
        Assert.Equal("10.42.0.128/24", addresses[ranged]);
        Assert.Contains("inet 10.42.0.7/24", inside);
        Assert.Contains("default via 10.42.0.254", route);
        Assert.Equal("{\"IPv4Address\":\"10.42.0.7\"} |", endpoint); // the top-level address is the default bridge's only
        (await Docker("rm", "-f", c, ranged)).Succeeded();
        (await Docker("network", "rm", net)).Succeeded();
    }

    [Fact]
    public async Task Default_subnets_come_from_dockerds_pool()
    {
        var net = NetworkMachineFixture.Unique("pooled");
        (await Docker("network", "create", net)).Succeeded();
        var subnet = (await Docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}", net)).Succeeded().Stdout.Trim();
        Assert.Matches(@"^172\.(1[89]|2\d|3[01])\.0\.0/16 172\.\d+\.0\.1$", subnet);
        (await Docker("network", "rm", net)).Succeeded();
    }

    [Fact]
    public async Task Refusals_use_dockerds_messages()
    {
        var net = NetworkMachineFixture.Unique("busy");
        var c = NetworkMachineFixture.Unique("user");
        (await Docker("network", "create", net)).Succeeded();
        var duplicate = await Docker("network", "create", net);
        var predefined = await Docker("network", "rm", "bridge");
        var overlap = await Docker("network", "create", "--subnet", "172.17.5.0/24", NetworkMachineFixture.Unique("clash"));
        (await Docker("run", "-d", "--name", c, "--network", net, "busybox", "sleep", "60")).Succeeded();
        var inUse = await Docker("network", "rm", net);
        // The CLI refuses this one itself; the Engine must too, for other clients.
        using var aliasOnBridge = await machine.Server.Http.PostAsync("/containers/create", new StringContent(
            """{"Image":"busybox","HostConfig":{"NetworkMode":"bridge"},"NetworkingConfig":{"EndpointsConfig":{"bridge":{"Aliases":["x"]}}}}""",
            System.Text.Encoding.UTF8, "application/json"));
        var missing = await Docker("network", "inspect", "no-such-net");

        Assert.Contains($"network with name {net} already exists", duplicate.Stderr);
        Assert.Contains("bridge is a pre-defined network and cannot be removed", predefined.Stderr);
        Assert.Contains("Pool overlaps with other one on this address space", overlap.Stderr);
        Assert.Contains($"error while removing network: network {net} has active endpoints (name:\"{c}\"", inUse.Stderr);
        Assert.Equal(400, (int)aliasOnBridge.StatusCode);
        Assert.Contains("network-scoped alias is supported only for containers in user defined networks", await aliasOnBridge.Content.ReadAsStringAsync());
        Assert.Contains("network no-such-net not found", missing.Stderr);
        (await Docker("rm", "-f", c)).Succeeded();
        (await Docker("network", "rm", net)).Succeeded();
    }

    [Fact]
    public async Task Connect_and_disconnect_change_a_running_containers_interfaces()
    {
        var net = NetworkMachineFixture.Unique("extra");
        var c = NetworkMachineFixture.Unique("multi");
        (await Docker("network", "create", "--subnet", "10.43.0.0/24", net)).Succeeded();
        (await Docker("run", "-d", "--name", c, "busybox", "sleep", "60")).Succeeded();

        (await Docker("network", "connect", "--alias", "second", net, c)).Succeeded();
        var connected = (await Docker("exec", c, "ip", "-o", "-4", "addr")).Succeeded().Stdout;
        var networks = (await Docker("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}={{$v.IPAddress}} {{end}}", c)).Succeeded().Stdout.Trim();
        var filtered = (await Docker("ps", "--filter", $"network={net}", "--format", "{{.Names}}")).Succeeded().Stdout.Trim();
        var again = await Docker("network", "connect", net, c);
        (await Docker("network", "disconnect", net, c)).Succeeded();
        var disconnected = (await Docker("exec", c, "ip", "-o", "-4", "addr")).Succeeded().Stdout;
        var notThere = await Docker("network", "disconnect", net, c);

        Assert.Matches(@"eth1\s+inet 10\.43\.0\.2/24", connected);
        Assert.Matches(@$"^bridge=172\.17\.\d+\.\d+ {net}=10\.43\.0\.2$", networks);
        Assert.Equal(c, filtered);
        Assert.Contains($"endpoint with name {c} already exists in network {net}", again.Stderr);
        Assert.DoesNotContain("10.43.0.2", disconnected);
        Assert.Contains("is not connected to network", notThere.Stderr);
        (await Docker("rm", "-f", c)).Succeeded();
        (await Docker("network", "rm", net)).Succeeded();
    }

    [Fact]
    public async Task Prune_removes_unused_user_networks_only()
    {
        var (unused, used) = (NetworkMachineFixture.Unique("unused"), NetworkMachineFixture.Unique("used"));
        var c = NetworkMachineFixture.Unique("holder");
        (await Docker("network", "create", "--label", $"prune={unused}", unused)).Succeeded();
        (await Docker("network", "create", "--label", $"prune={unused}", used)).Succeeded();
        (await Docker("run", "-d", "--name", c, "--network", used, "busybox", "sleep", "60")).Succeeded();

        var pruned = (await Docker("network", "prune", "-f", "--filter", $"label=prune={unused}")).Succeeded().Stdout;
        var left = (await Docker("network", "ls", "--format", "{{.Name}}")).Succeeded().Stdout.Split('\n');

        Assert.Contains($"Deleted Networks:\n{unused}\n", pruned);
        Assert.DoesNotContain(unused, left);
        Assert.Contains(used, left);
        Assert.Contains("bridge", left);
        (await Docker("rm", "-f", c)).Succeeded();
        (await Docker("network", "rm", used)).Succeeded();
    }
}
