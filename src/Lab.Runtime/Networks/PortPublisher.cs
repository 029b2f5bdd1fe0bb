using System.Net;
using System.Net.Sockets;
using Lab.Runtime.Containers;
using Lab.Runtime.Native;

namespace Lab.Runtime.Networks;

/// <summary>Published ports (`-p 8080:80`): a listening socket made inside the lab machine's network namespace (so
/// the port is the machine's localhost:8080, never the host's), and for each connection a socket to the container's
/// address made there too; the server copies bytes between them. UDP ports are relayed per client
/// (<see cref="UdpRelay"/>).</summary>
internal sealed class PortPublisher : IDisposable
{
    private readonly List<Socket> _listeners = [];
    private readonly List<UdpRelay> _relays = [];
    private readonly CancellationTokenSource _stop = new();

    public IReadOnlyList<PortBinding> Bound { get; private set; } = [];

    /// <param name="endpoint">The container's endpoint as dockerd names it in a conflict: "NAME (ENDPOINT ID)".</param>
    public static PortPublisher Publish(int machinePid, string containerAddress, IReadOnlyList<PortBinding> bindings,
        string endpoint)
    {
        var publisher = new PortPublisher();
        var bound = new List<PortBinding>();
        try
        {
            foreach (var binding in bindings)
            {
                var ip = string.IsNullOrEmpty(binding.HostIp) ? IPAddress.Any : IPAddress.Parse(binding.HostIp);
                var target = new IPEndPoint(IPAddress.Parse(containerAddress), binding.Port);
                if (binding.Protocol == "udp")
                {
                    var relay = UdpRelay.Start(machinePid, ip, binding.HostPort, target, endpoint);
                    publisher._relays.Add(relay);
                    bound.Add(binding with { HostIp = ip.ToString(), HostPort = relay.Port });
                    continue;
                }
                if (binding.Protocol != "tcp")
                    throw new LabException(ErrorKind.InvalidParameter, $"publishing {binding.Protocol} ports is not supported here (tcp and udp only)");
                var listener = BindInMachine(machinePid, new IPEndPoint(ip, binding.HostPort), ProtocolType.Tcp, endpoint);
                publisher._listeners.Add(listener);
                listener.Listen(128);
                var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
                bound.Add(binding with { HostIp = ip.ToString(), HostPort = port });
                _ = publisher.AcceptLoopAsync(listener, machinePid, target);
            }
        }
        catch
        {
            publisher.Dispose();
            throw;
        }
        publisher.Bound = bound;
        return publisher;
    }

    /// <summary>A socket bound at the published address inside the machine's network namespace; an address in use
    /// there is dockerd's "port is already allocated" conflict.</summary>
    internal static Socket BindInMachine(int machinePid, IPEndPoint at, ProtocolType protocol, string endpoint) =>
        NetNamespace.Run(machinePid, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, protocol == ProtocolType.Udp ? SocketType.Dgram : SocketType.Stream, protocol);
            try
            {
                socket.Bind(at);
                return socket;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                socket.Dispose();
                throw new LabException(ErrorKind.Conflict,
                    $"driver failed programming external connectivity on endpoint {endpoint}: Bind for {at} failed: port is already allocated");
            }
        });

    private async Task AcceptLoopAsync(Socket listener, int machinePid, IPEndPoint target)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await listener.AcceptAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = ForwardAsync(client, machinePid, target);
        }
    }

    private async Task ForwardAsync(Socket client, int machinePid, IPEndPoint target)
    {
        using (client)
        {
            Socket upstream;
            try { upstream = NetNamespace.Run(machinePid, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)); }
            catch (LabException) { return; }
            using (upstream)
            {
                try { await upstream.ConnectAsync(target, _stop.Token); }
                catch (Exception e) when (e is SocketException or OperationCanceledException) { return; } // the client sees a reset, as with docker-proxy
                await Task.WhenAll(Pump(client, upstream), Pump(upstream, client));
            }
        }
    }

    private async Task Pump(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await from.ReceiveAsync(buffer, _stop.Token)) > 0)
                await to.SendAsync(buffer.AsMemory(0, n), _stop.Token);
            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var listener in _listeners) listener.Dispose();
        foreach (var relay in _relays) relay.Dispose();
    }
}
