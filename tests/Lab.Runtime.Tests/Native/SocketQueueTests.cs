using System.Net.Sockets;
using Lab.Runtime.Native;

namespace Lab.Runtime.Tests.Native;

public sealed class SocketQueueTests
{
    [Fact]
    public async Task Counts_what_the_peer_has_not_read_yet()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lab-socketqueue-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        try
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await client.ConnectAsync(new UnixDomainSocketEndPoint(path));
            using var server = await listener.AcceptAsync();
            Assert.Equal(0, SocketQueue.Unread(server.SafeHandle));

            await server.SendAsync(new byte[100]);
            Assert.True(SocketQueue.Unread(server.SafeHandle) >= 100);

            var buffer = new byte[200];
            Assert.Equal(100, await client.ReceiveAsync(buffer));
            Assert.Equal(0, SocketQueue.Unread(server.SafeHandle));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
