using System.Net;
using System.Net.Sockets;
using Lab.Runtime.Containers;
using Lab.Runtime.Networks;

namespace Lab.Runtime.Tests.Networks;

/// <summary>A published UDP port relays each client's datagrams to the container and the replies back to that
/// client. Here the "machine" is this process's own network namespace and the "container" an echo socket on
/// loopback: only loopback traffic.</summary>
public sealed class UdpRelayTests
{
    [Fact]
    public async Task Each_client_gets_the_replies_to_its_own_datagrams()
    {
        using var container = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        container.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var containerPort = ((IPEndPoint)container.LocalEndPoint!).Port;
        using var echo = new CancellationTokenSource();
        var echoing = EchoAsync(container, echo.Token);

        using var publisher = PortPublisher.Publish(Environment.ProcessId, "127.0.0.1",
            [new PortBinding($"{containerPort}/udp", "127.0.0.1", 0)], "relay (0123)");
        var published = Assert.Single(publisher.Bound);
        Assert.Equal("udp", published.Protocol);
        Assert.NotEqual(0, published.HostPort);

        using var first = Client(published.HostPort);
        using var second = Client(published.HostPort);
        await first.SendAsync("one"u8.ToArray());
        await second.SendAsync("two"u8.ToArray());
        await first.SendAsync("three"u8.ToArray());

        Assert.Equal("echo one", await ReceiveAsync(first));
        Assert.Equal("echo three", await ReceiveAsync(first));
        Assert.Equal("echo two", await ReceiveAsync(second));
        echo.Cancel();
        await echoing;
    }

    [Fact]
    public void A_udp_port_already_bound_is_a_conflict()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)taken.LocalEndPoint!).Port;

        var e = Assert.Throws<LabException>(() =>
            PortPublisher.Publish(Environment.ProcessId, "127.0.0.1", [new PortBinding("53/udp", "127.0.0.1", port)], "dns (0123)"));

        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal($"driver failed programming external connectivity on endpoint dns (0123): Bind for 127.0.0.1:{port} failed: port is already allocated", e.Message);
    }

    static Socket Client(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    static async Task<string> ReceiveAsync(Socket client)
    {
        var buffer = new byte[100];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var n = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return System.Text.Encoding.ASCII.GetString(buffer, 0, n);
    }

    // The container: answers each datagram to whoever sent it (the relay's socket for that client).
    static async Task EchoAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[100];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            SocketReceiveFromResult received;
            try { received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, ct); }
            catch (OperationCanceledException) { return; }
            var reply = System.Text.Encoding.ASCII.GetBytes("echo " + System.Text.Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes));
            await socket.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint);
        }
    }
}
