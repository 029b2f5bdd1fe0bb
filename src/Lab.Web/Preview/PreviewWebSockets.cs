using System.Net.WebSockets;
using Lab.Web.Terminal;

namespace Lab.Web.Preview;

/// <summary>A websocket of a student's app: the handshake is made to the app first (from inside the machine, with
/// the browser's sub-protocols, cookies without Lab's, and X-Forwarded-*), and only if the app accepts is the
/// browser's accepted, with the sub-protocol the app chose; then messages are relayed both ways until either side
/// closes. The browser's Origin must be this server's, as for the terminal: another site cannot ride a visitor's
/// cookie into a student's app.</summary>
public sealed class PreviewWebSockets(MachineConnections connections)
{
    private const int BufferSize = 16 * 1024;

    public async Task RelayAsync(HttpContext context, PreviewPath target)
    {
        if (OriginCheck.Problem(context.Request) is { } problem)
        {
            await PreviewProblemPage.WriteAsync(context, StatusCodes.Status403Forbidden, problem, "");
            return;
        }

        var ct = context.RequestAborted;
        using var upstream = new ClientWebSocket();
        upstream.Options.HttpVersion = System.Net.HttpVersion.Version11;
        upstream.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        upstream.Options.KeepAliveInterval = TimeSpan.Zero; // the browser and Kestrel keep the connection alive
        foreach (var protocol in context.WebSockets.WebSocketRequestedProtocols)
        {
            upstream.Options.AddSubProtocol(protocol);
        }

        upstream.Options.SetRequestHeader("Host", $"localhost:{target.Port}");
        upstream.Options.SetRequestHeader("Origin", $"http://localhost:{target.Port}");
        if (PreviewHeaders.FilterCookieHeader(context.Request.Headers.Cookie) is { } cookies)
        {
            upstream.Options.SetRequestHeader("Cookie", cookies);
        }

        foreach (var (name, value) in PreviewHeaders.ForwardedHeaders(context, target))
        {
            upstream.Options.SetRequestHeader(name, value);
        }

        try
        {
            await upstream.ConnectAsync(MachineConnections.UpstreamUri(target, target.UpstreamTarget(context), "ws"), connections.Invoker, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && PreviewFailure.IsUnreachable(e))
        {
            await PreviewFailure.WriteAsync(context, target, e);
            return;
        }

        using var browser = await context.WebSockets.AcceptWebSocketAsync(upstream.SubProtocol);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var toApp = PumpAsync(browser, upstream, done.Token);
        var toBrowser = PumpAsync(upstream, browser, done.Token);
        await Task.WhenAny(toApp, toBrowser);
        // One side closed: give the other a moment to finish its close handshake, then drop both.
        done.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await Task.WhenAll(toApp, toBrowser);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The peer vanished or did not answer the close in time.
        }
    }

    /// <summary>Copies messages from <paramref name="from"/> to <paramref name="to"/>, frame by frame, and passes on
    /// a close (its status and reason).</summary>
    private static async Task PumpAsync(WebSocket from, WebSocket to, CancellationToken ct)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var received = await from.ReceiveAsync(buffer, ct);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await to.CloseOutputAsync(from.CloseStatus ?? WebSocketCloseStatus.NormalClosure, from.CloseStatusDescription, ct);
                    }

                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, ct);
            }
        }
        catch (WebSocketException) when (!ct.IsCancellationRequested)
        {
            // A side dropped without a close: end the other one too.
            if (to.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await to.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "the other side went away", CancellationToken.None)
                    .WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
