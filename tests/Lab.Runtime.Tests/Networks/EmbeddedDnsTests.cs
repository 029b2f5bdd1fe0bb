using System.Net;
using System.Net.Sockets;
using Lab.Runtime.Networks;

namespace Lab.Runtime.Tests.Networks;

/// <summary>The embedded DNS's answers, checked with hand-made query packets; the sockets in a container's
/// namespace are exercised by the Engine tests with the real resolvers of busybox.</summary>
public sealed class EmbeddedDnsTests
{
    static byte[] Query(string name, ushort type, ushort id = 0x1234)
    {
        var packet = new List<byte> { (byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.'))
        {
            packet.Add((byte)label.Length);
            packet.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }
        packet.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        return packet.ToArray();
    }

    static readonly EmbeddedDns.Resolver Names = name => name switch
    {
        "web" => [Subnet.ParseAddress("172.18.0.2", "a"), Subnet.ParseAddress("172.18.0.3", "a")],
        _ => null,
    };

    [Fact]
    public void A_known_name_gets_its_A_records()
    {
        var response = DnsMessageFor(Query("WEB", DnsMessage.TypeA));
        Assert.Equal(0x12, response[0]);
        Assert.Equal(0x34, response[1]);
        Assert.Equal(0x80, response[2] & 0x80);       // a response
        Assert.Equal(0, response[3] & 0x0f);          // NOERROR
        Assert.Equal(2, response[7]);                 // two answers
        var end = response.Length;
        Assert.Equal(new byte[] { 172, 18, 0, 3 }, response[(end - 4)..]);
        Assert.Equal(new byte[] { 172, 18, 0, 2 }, response[(end - 20)..(end - 16)]);
    }

    [Fact]
    public void Other_types_of_a_known_name_get_an_empty_answer_and_unknown_names_NXDOMAIN()
    {
        var aaaa = DnsMessageFor(Query("web", 28));
        var unknown = DnsMessageFor(Query("db", DnsMessage.TypeA));
        Assert.Equal(0, aaaa[3] & 0x0f);
        Assert.Equal(0, aaaa[7]);
        Assert.Equal(DnsMessage.NxDomain, unknown[3] & 0x0f);
        Assert.Equal(0, unknown[7]);
    }

    [Fact]
    public void Garbage_gets_no_answer_or_FORMERR()
    {
        Assert.Null(DnsMessageForOrNull([1, 2, 3]));
        var truncated = Query("web", DnsMessage.TypeA)[..15];
        Assert.Equal(DnsMessage.FormErr, DnsMessageFor(truncated)[3] & 0x0f);
    }

    [Fact]
    public async Task It_answers_over_udp_in_a_namespace()
    {
        // Our own process's namespace stands in for a container's: only loopback traffic, on a free port.
        int port = FreeUdpPort();
        using var dns = EmbeddedDns.Start(Environment.ProcessId, Names, port);
        using var client = new UdpClient();
        await client.SendAsync(Query("web", DnsMessage.TypeA), new IPEndPoint(IPAddress.Parse("127.0.0.11"), port));
        var received = await client.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, received.Buffer[7]);
    }

    static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Parse("127.0.0.11"), 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    static byte[] DnsMessageFor(byte[] query) => DnsMessageForOrNull(query) ?? throw new Xunit.Sdk.XunitException("no response");

    static byte[]? DnsMessageForOrNull(byte[] query) => EmbeddedDns.Respond(query, Names);
}
