using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Lab.Runtime.Native;

namespace Lab.Runtime.Networks;

/// <summary>A published UDP port (`-p 5353:53/udp`), as docker-proxy relays one: a socket bound at the port inside the
/// lab machine's network namespace; each client (address and port) gets a socket of its own, made there too and
/// connected to the container, so the container's replies go back to that client; a client silent for
/// <see cref="IdleTimeout"/> is forgotten (docker-proxy's UDP conntrack timeout).</summary>
internal sealed class UdpRelay : IDisposable
{
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(90);

    private readonly Socket _listener;
    private readonly int _machinePid;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<IPEndPoint, Flow> _flows = new();

    private UdpRelay(Socket listener, int machinePid, IPEndPoint target) =>
        (_listener, _machinePid, _target) = (listener, machinePid, target);

    /// <summary>The port actually bound (the one asked, or a free one for 0).</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndPoint!).Port;

    public static UdpRelay Start(int machinePid, IPAddress ip, int port, IPEndPoint target, string endpoint)
    {
        var listener = PortPublisher.BindInMachine(machinePid, new IPEndPoint(ip, port), ProtocolType.Udp, endpoint);
        var relay = new UdpRelay(listener, machinePid, target);
        _ = relay.ReceiveLoopAsync();
        return relay;
    }

    /// <summary>Client → container: one loop reads the published socket and sends each datagram on its client's flow.</summary>
    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try { received = await _listener.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException) { return; }
            catch (SocketException) { continue; } // an ICMP error from an earlier send: the socket goes on
            var client = (IPEndPoint)received.RemoteEndPoint;
            if (!_flows.TryGetValue(client, out var flow))
            {
                try { flow = Open(client); }
                catch (Exception e) when (e is LabException or SocketException) { continue; } // dropped, as UDP may be
            }
            flow.LastUsed = Environment.TickCount64;
            try { await flow.Upstream.SendAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, _stop.Token); }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException) { }
        }
    }

    private Flow Open(IPEndPoint client)
    {
        var upstream = NetNamespace.Run(_machinePid, () => new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp));
        try
        {
            upstream.Connect(_target);
        }
        catch
        {
            upstream.Dispose();
            throw;
        }
        var flow = new Flow(upstream) { LastUsed = Environment.TickCount64 };
        _flows[client] = flow;
        _ = ReplyLoopAsync(client, flow);
        return flow;
    }

    /// <summary>Container → client, until the client has been silent for the idle timeout or the relay stops.</summary>
    private async Task ReplyLoopAsync(IPEndPoint client, Flow flow)
    {
        var buffer = new byte[64 * 1024];
        using (flow.Upstream)
        {
            while (!_stop.IsCancellationRequested)
            {
                var idle = IdleTimeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - flow.LastUsed);
                if (idle <= TimeSpan.Zero) break;
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                wait.CancelAfter(idle);
                int n;
                try { n = await flow.Upstream.ReceiveAsync(buffer, SocketFlags.None, wait.Token); }
                catch (OperationCanceledException) { continue; } // the idle check above decides
                catch (ObjectDisposedException) { break; }
                catch (SocketException) { continue; } // the container's port refused one datagram (ICMP)
                try { await _listener.SendToAsync(buffer.AsMemory(0, n), SocketFlags.None, client, _stop.Token); }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException) { }
            }
            _flows.TryRemove(new KeyValuePair<IPEndPoint, Flow>(client, flow));
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        foreach (var flow in _flows.Values) flow.Upstream.Dispose();
    }

    private sealed class Flow(Socket upstream)
    {
        public Socket Upstream { get; } = upstream;
        public long LastUsed { get; set; }
    }
}
