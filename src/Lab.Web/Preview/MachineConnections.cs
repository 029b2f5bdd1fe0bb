using System.Net;
using System.Net.Sockets;
using Lab.Runtime.Machines;

namespace Lab.Web.Preview;

/// <summary>The HTTP client side of the preview: connections are made from inside the student's machine's
/// network namespace (<see cref="MachineHost.ConnectAsync"/>), so no host port is ever opened. Requests name the
/// machine as the URI's host (<c>http://{machine}:{port}/</c>; machine names are hostname-safe), which also keys the
/// connection pool per machine and port, so keep-alive connections are reused across requests.
/// The runtime is looked up at the first connection, not when routes are mapped, so building the app never starts it.</summary>
public sealed class MachineConnections(Func<MachineHost> machines) : IDisposable
{
    public HttpMessageInvoker Invoker { get; } = new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = await machines().ConnectAsync(context.DnsEndPoint.Host, "127.0.0.1", context.DnsEndPoint.Port, ct);
            socket.NoDelay = true;
            return new NetworkStream(socket, ownsSocket: true);
        },
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        // A machine that stops takes its connections with it; do not keep idle ones long.
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ActivityHeadersPropagator = null,
    });

    public static Uri UpstreamUri(PreviewPath target, string pathAndQuery, string scheme = "http") =>
        new($"{scheme}://{target.Machine}:{target.Port}{pathAndQuery}");

    public void Dispose() => Invoker.Dispose();
}
