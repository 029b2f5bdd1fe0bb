using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Lab.Web.Tests.Preview;

/// <summary>Websockets of a student's app through the preview: an echo server in a container of the machine.</summary>
public sealed class PreviewWebSocketTests(PreviewFixture fixture) : IClassFixture<PreviewFixture>
{
    private PreviewServer Preview => fixture.Preview;

    private async Task<(ClientWebSocket Socket, HttpStatusCode Status)> OpenAsync(string path, string? origin = null,
        string? subProtocol = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.Cookies = Preview.Owner.Cookies;
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Origin", origin ?? Preview.Server.BaseAddress.GetLeftPart(UriPartial.Authority));
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        var uri = new UriBuilder(Preview.Server.BaseAddress) { Scheme = "ws", Path = path }.Uri;
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // Refused: the status says why.
        }

        return (socket, socket.HttpStatusCode);
    }

    private static async Task<string> ReceiveTextAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }

    [Fact]
    public async Task Messages_are_echoed_through_the_proxy_and_close_is_passed_on()
    {
        var (socket, status) = await OpenAsync($"/preview/{Preview.Machine}/{PreviewFixture.AppPort}/ws", subProtocol: "chat");
        using (socket)
        {
            Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
            Assert.Equal("chat", socket.SubProtocol);

            await socket.SendAsync("bonjour"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            Assert.Equal("echo: bonjour", await ReceiveTextAsync(socket));
            var big = new string('é', 40_000);
            await socket.SendAsync(Encoding.UTF8.GetBytes(big), WebSocketMessageType.Text, true, CancellationToken.None);
            Assert.Equal("echo: " + big, await ReceiveTextAsync(socket));

            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
            Assert.Equal(WebSocketState.Closed, socket.State);
            Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        }
    }

    [Fact]
    public async Task Another_site_cannot_open_an_app_websocket_with_the_visitor_cookie()
    {
        var (socket, status) = await OpenAsync($"/preview/{Preview.Machine}/{PreviewFixture.AppPort}/ws", origin: "http://evil.example");
        socket.Dispose();

        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task A_websocket_to_a_port_nothing_listens_on_is_502()
    {
        var (socket, status) = await OpenAsync($"/preview/{Preview.Machine}/9998/ws");
        socket.Dispose();

        Assert.Equal(HttpStatusCode.BadGateway, status);
    }
}
