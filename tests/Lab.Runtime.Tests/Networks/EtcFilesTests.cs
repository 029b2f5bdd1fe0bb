using Lab.Runtime.Networks;

namespace Lab.Runtime.Tests.Networks;

public sealed class EtcFilesTests
{
    [Fact]
    public void Hosts_has_dockerds_defaults_then_extra_hosts_links_and_the_containers_own_address()
    {
        var hosts = EtcFiles.Hosts([("db.local", "10.1.2.3")], [("172.17.0.3", "database 0123456789ab db")], "172.17.0.2", "web");
        Assert.Equal("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
            + "ff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n"
            + "10.1.2.3\tdb.local\n172.17.0.3\tdatabase 0123456789ab db\n172.17.0.2\tweb\n", hosts);
    }

    [Fact]
    public void User_networks_point_at_the_embedded_dns()
    {
        var resolv = EtcFiles.ResolvConf(true, [], ["example.org"], [], "nameserver 10.0.0.1\n");
        Assert.Contains("\nnameserver 127.0.0.11\nsearch example.org\noptions ndots:0\n", resolv);
        Assert.DoesNotContain("nameserver 10.0.0.1", resolv);
    }

    [Fact]
    public void The_default_bridge_takes_given_servers_or_the_machines_non_local_ones_or_googles()
    {
        Assert.Contains("\nnameserver 10.0.0.53\n", EtcFiles.ResolvConf(false, ["10.0.0.53"], [], [], "nameserver 10.0.0.1\n"));
        var copied = EtcFiles.ResolvConf(false, [], [], [], "nameserver 127.0.0.53\nnameserver 10.0.0.1\nsearch lan\noptions edns0\n");
        Assert.Contains("\nnameserver 10.0.0.1\nsearch lan\noptions edns0\n", copied);
        Assert.DoesNotContain("127.0.0.53", copied);
        Assert.Contains("\nnameserver 8.8.8.8\nnameserver 8.8.4.4\n", EtcFiles.ResolvConf(false, [], [], [], ""));
    }

    [Fact]
    public void A_connected_network_appends_its_line_and_its_disconnect_removes_only_that_line()
    {
        var start = "127.0.0.1\tlocalhost\n172.18.0.2\tweb\n10.9.9.9\tmine";
        var connected = EtcFiles.WithLine(start, EtcFiles.HostsLine("172.19.0.2", "web"));
        var disconnected = EtcFiles.WithoutLine(connected, EtcFiles.HostsLine("172.19.0.2", "web"));

        Assert.Equal("127.0.0.1\tlocalhost\n172.18.0.2\tweb\n10.9.9.9\tmine\n172.19.0.2\tweb\n", connected);
        Assert.Equal("127.0.0.1\tlocalhost\n172.18.0.2\tweb\n10.9.9.9\tmine\n", disconnected);
        Assert.Equal("172.18.0.2\tweb.lab web\n", EtcFiles.HostsLine("172.18.0.2", "web", "lab"));
    }
}
