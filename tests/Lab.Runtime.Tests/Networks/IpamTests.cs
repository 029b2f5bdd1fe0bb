using Lab.Runtime;
using Lab.Runtime.Networks;

namespace Lab.Runtime.Tests.Networks;

public sealed class IpamTests
{
    static NetworkRecord Network(string subnet, string gateway, string? range = null) => new()
    {
        Id = new string('a', 64), Name = "n", Driver = "bridge", Created = DateTimeOffset.UtcNow,
        Subnet = subnet, Gateway = gateway, IpRange = range,
    };

    [Fact]
    public void New_networks_take_the_next_free_default_pool_after_the_default_bridge()
    {
        Assert.Equal("172.18.0.0/16", Ipam.NextSubnet([Subnet.Parse("172.17.0.0/16")]).ToString());
        Assert.Equal("172.20.0.0/16", Ipam.NextSubnet([Subnet.Parse("172.17.0.0/16"), Subnet.Parse("172.18.0.0/16"), Subnet.Parse("172.19.5.0/24")]).ToString());
        var all172 = Enumerable.Range(17, 15).Select(b => Subnet.Parse($"172.{b}.0.0/16")).ToList();
        Assert.Equal("192.168.0.0/20", Ipam.NextSubnet(all172).ToString());
    }

    [Fact]
    public void Addresses_skip_the_gateway_and_those_in_use_and_stay_in_the_ip_range()
    {
        var net = Network("10.0.0.0/24", "10.0.0.1");
        Assert.Equal("10.0.0.2", Subnet.Format(Ipam.Allocate(net, [], null)));
        Assert.Equal("10.0.0.4", Subnet.Format(Ipam.Allocate(net, ["10.0.0.2", "10.0.0.3"], null)));
        var ranged = Network("10.0.0.0/24", "10.0.0.1", "10.0.0.128/25");
        Assert.Equal("10.0.0.128", Subnet.Format(Ipam.Allocate(ranged, [], null)));
        Assert.Equal("10.0.0.9", Subnet.Format(Ipam.Allocate(ranged, [], "10.0.0.9")));
    }

    [Fact]
    public void A_requested_address_must_be_free_and_inside_the_subnet()
    {
        var net = Network("10.0.0.0/24", "10.0.0.1");
        Assert.Equal(ErrorKind.Forbidden, Assert.Throws<LabException>(() => Ipam.Allocate(net, ["10.0.0.5"], "10.0.0.5")).Kind);
        Assert.Equal(ErrorKind.Forbidden, Assert.Throws<LabException>(() => Ipam.Allocate(net, [], "10.0.0.1")).Kind);
        Assert.Contains("no configured subnet or ip-range contain the IP address 10.0.1.5",
            Assert.Throws<LabException>(() => Ipam.Allocate(net, [], "10.0.1.5")).Message);
    }

    [Fact]
    public void A_full_network_says_so()
    {
        var net = Network("10.0.0.0/30", "10.0.0.1");
        Assert.Equal("10.0.0.2", Subnet.Format(Ipam.Allocate(net, [], null)));
        Assert.Contains("no available IPv4 addresses", Assert.Throws<LabException>(() => Ipam.Allocate(net, ["10.0.0.2"], null)).Message);
    }

    [Fact]
    public void Create_options_are_checked_as_dockerd_does()
    {
        Assert.Equal(("10.9.0.0/16", "10.9.0.1", (string?)null), Ipam.Configure("10.9.0.0/16", null, null, []));
        Assert.Equal(("10.9.0.0/16", "10.9.255.254", "10.9.8.0/24"), Ipam.Configure("10.9.0.0/16", "10.9.255.254", "10.9.8.0/24", []));
        Assert.Contains("it should be 10.9.0.0/16", Assert.Throws<LabException>(() => Ipam.Configure("10.9.1.0/16", null, null, [])).Message);
        Assert.Contains("is not in subnet", Assert.Throws<LabException>(() => Ipam.Configure("10.9.0.0/16", "10.8.0.1", null, [])).Message);
        Assert.Contains("must be within", Assert.Throws<LabException>(() => Ipam.Configure("10.9.0.0/16", null, "10.8.0.0/24", [])).Message);
        Assert.Contains("Pool overlaps", Assert.Throws<LabException>(() => Ipam.Configure("172.17.3.0/24", null, null, [Subnet.Parse("172.17.0.0/16")])).Message);
        Assert.Contains("invalid subnet", Assert.Throws<LabException>(() => Ipam.Configure("nonsense", null, null, [])).Message);
    }

    [Fact]
    public void Macs_derive_from_the_address_as_dockerd_does()
    {
        Assert.Equal("02:42:ac:12:00:02", Subnet.MacOf(Subnet.ParseAddress("172.18.0.2", "a")));
    }
}
