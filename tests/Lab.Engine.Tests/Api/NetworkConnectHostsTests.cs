using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary>`docker network connect/disconnect` on a running container edit its /etc/hosts at once, as dockerd
/// does: a line "address&lt;TAB&gt;hostname" per network, added on connect and removed on disconnect; the rest of
/// the file, the student's own edits included, stays.</summary>
public sealed class NetworkConnectHostsTests(NetworkMachineFixture machine) : IClassFixture<NetworkMachineFixture>
{
    Task<CliResult> Docker(params string[] args) => machine.Docker(args);

    async Task<string> AddressOn(string container, string network) =>
        (await Docker("inspect", "-f", $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}", container)).Succeeded().Stdout.Trim();

    [Fact]
    public async Task Connect_adds_the_new_address_to_the_running_containers_hosts_and_disconnect_removes_it()
    {
        var first = NetworkMachineFixture.Unique("hosts");
        var second = NetworkMachineFixture.Unique("hosts");
        var c = NetworkMachineFixture.Unique("hostsc");
        (await Docker("network", "create", first)).Succeeded();
        (await Docker("network", "create", second)).Succeeded();
        var id = (await Docker("run", "-d", "--name", c, "--network", first, "busybox", "sleep", "60")).Succeeded().Stdout.Trim();
        var hostname = id[..12];
        var firstAddress = await AddressOn(c, first);
        (await Docker("exec", c, "sh", "-c", "echo '10.9.9.9\tmine' >> /etc/hosts")).Succeeded();

        (await Docker("network", "connect", second, c)).Succeeded();
        var connected = (await Docker("exec", c, "cat", "/etc/hosts")).Succeeded().Stdout;
        var secondAddress = await AddressOn(c, second);
        (await Docker("network", "disconnect", second, c)).Succeeded();
        var disconnected = (await Docker("exec", c, "cat", "/etc/hosts")).Succeeded().Stdout;

        Assert.NotEqual(firstAddress, secondAddress);
        Assert.EndsWith($"{firstAddress}\t{hostname}\n10.9.9.9\tmine\n{secondAddress}\t{hostname}\n", connected);
        Assert.EndsWith($"{firstAddress}\t{hostname}\n10.9.9.9\tmine\n", disconnected);
        Assert.StartsWith("127.0.0.1\tlocalhost\n", disconnected);
        (await Docker("rm", "-f", c)).Succeeded();
        (await Docker("network", "rm", first, second)).Succeeded();
    }

    [Fact]
    public async Task A_container_started_on_two_networks_names_itself_at_both_addresses()
    {
        var first = NetworkMachineFixture.Unique("hosts2");
        var second = NetworkMachineFixture.Unique("hosts2");
        var c = NetworkMachineFixture.Unique("hosts2c");
        (await Docker("network", "create", first)).Succeeded();
        (await Docker("network", "create", second)).Succeeded();
        var id = (await Docker("create", "--name", c, "--network", first, "busybox", "sleep", "60")).Succeeded().Stdout.Trim();
        (await Docker("network", "connect", second, c)).Succeeded(); // stopped: kept for its start
        (await Docker("start", c)).Succeeded();

        var hosts = (await Docker("exec", c, "cat", "/etc/hosts")).Succeeded().Stdout;

        Assert.EndsWith($"{await AddressOn(c, first)}\t{id[..12]}\n{await AddressOn(c, second)}\t{id[..12]}\n", hosts);
        (await Docker("rm", "-f", c)).Succeeded();
        (await Docker("network", "rm", first, second)).Succeeded();
    }
}
