using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Lab.Runtime.Native;

namespace Lab.Runtime.Networks;

/// <summary>Docker's embedded DNS server at 127.0.0.11:53 inside a container on a user-defined network: a UDP and a
/// TCP socket made by the server inside the container's own network namespace (no process of ours runs there), each
/// query answered by <see cref="Resolve"/>: the A records of a name, an empty answer for a known name's other types,
/// NXDOMAIN otherwise. Nothing is forwarded: a lab machine has no upstream.</summary>
public sealed class EmbeddedDns : IDisposable
{
    /// <summary>The addresses of a name (lower case, no trailing dot) for the asking container; null: no such name.</summary>
    public delegate IReadOnlyList<uint>? Resolver(string name);

    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly Resolver _resolve;
    private readonly CancellationTokenSource _stop = new();

    private EmbeddedDns(Socket udp, Socket tcp, Resolver resolve)
    {
        _udp = udp;
        _tcp = tcp;
        _resolve = resolve;
    }

    public static EmbeddedDns Start(int containerPid, Resolver resolve, int port = 53)
    {
        var (udp, tcp) = NetNamespace.Run(containerPid, () =>
        {
            var endpoint = new IPEndPoint(IPAddress.Parse(EtcFiles.EmbeddedDnsAddress), port);
            var u = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var t = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                u.Bind(endpoint);
                t.Bind(endpoint);
                t.Listen(16);
                return (u, t);
            }
            catch
            {
                u.Dispose();
                t.Dispose();
                throw;
            }
        });
        var dns = new EmbeddedDns(udp, tcp, resolve);
        _ = dns.UdpLoopAsync();
        _ = dns.TcpLoopAsync();
        return dns;
    }

    /// <summary>The response to one query packet, or null when it is not worth one.</summary>
    public static byte[]? Respond(ReadOnlySpan<byte> packet, Resolver resolve)
    {
        var question = DnsMessage.Parse(packet);
        if (question is null) return null;
        if (question.End < 0) return DnsMessage.Answer(packet, question, DnsMessage.FormErr, []);
        if ((question.Flags >> 11 & 0xf) != 0) return DnsMessage.Answer(packet, question, DnsMessage.NotImp, []);
        var addresses = resolve(question.Name.TrimEnd('.').ToLowerInvariant());
        if (addresses is null) return DnsMessage.Answer(packet, question, DnsMessage.NxDomain, []);
        return DnsMessage.Answer(packet, question, DnsMessage.NoError,
            question.Type == DnsMessage.TypeA ? addresses : []);
    }

    private async Task UdpLoopAsync()
    {
        var buffer = new byte[4096];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try { received = await _udp.ReceiveFromAsync(buffer, any, _stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException) { return; }
            catch (SocketException) { continue; } // an ICMP error of an earlier reply
            var response = Respond(buffer.AsSpan(0, received.ReceivedBytes), _resolve);
            if (response is null) continue;
            try { await _udp.SendToAsync(response, received.RemoteEndPoint, _stop.Token); }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException) { }
        }
    }

    private async Task TcpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _tcp.AcceptAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = ServeTcpAsync(client);
        }
    }

    // DNS over TCP: each message is preceded by its length on two bytes.
    private async Task ServeTcpAsync(Socket client)
    {
        using (client)
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                var length = new byte[2];
                while (await ReadExactlyAsync(client, length, timeout.Token))
                {
                    var packet = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
                    if (!await ReadExactlyAsync(client, packet, timeout.Token)) return;
                    var response = Respond(packet, _resolve);
                    if (response is null) return;
                    var framed = new byte[response.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)response.Length);
                    response.CopyTo(framed, 2);
                    await client.SendAsync(framed, timeout.Token);
                }
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException) { }
        }
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer, CancellationToken ct)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(done), ct);
            if (n == 0) return false;
            done += n;
        }
        return true;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _tcp.Dispose(); // the sockets were the last hold on the container's network namespace
    }
}
