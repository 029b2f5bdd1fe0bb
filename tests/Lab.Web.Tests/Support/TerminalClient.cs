using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Lab.Web.Tests.Support;

/// <summary>Reads a terminal websocket as the page's script does: binary frames are screen bytes, text frames
/// are JSON messages. Collects both so tests can wait for what a user would see.</summary>
public sealed class TerminalClient(ClientWebSocket socket)
{
    private readonly StringBuilder screen = new();
    private readonly List<JsonElement> messages = [];

    public string Screen => screen.ToString();

    public IReadOnlyList<JsonElement> Messages => messages;

    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public Task SendAsync(string keys) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(keys), WebSocketMessageType.Binary, true, CancellationToken.None);

    public Task ResizeAsync(int cols, int rows) =>
        socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"resize\",\"cols\":{cols},\"rows\":{rows}}}"),
            WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Reads until <paramref name="done"/> holds, the socket closes, or the time runs out (then fails
    /// with what was received, so the failure says what the user would have seen).</summary>
    public async Task WaitForAsync(Func<TerminalClient, bool> done, string what, int seconds = 20)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var buffer = new byte[64 * 1024];
        var text = new MemoryStream();
        while (!done(this))
        {
            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"timed out waiting for {what}; screen so far:\n{Screen}\nmessages: {string.Join(", ", messages)}");
                return;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                Assert.True(done(this), $"socket closed ({socket.CloseStatus} {socket.CloseStatusDescription}) before {what}; screen:\n{Screen}");
                return;
            }

            if (result.MessageType == WebSocketMessageType.Binary)
            {
                screen.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                continue;
            }

            text.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                messages.Add(JsonDocument.Parse(text.ToArray()).RootElement.Clone());
                text.SetLength(0);
            }
        }
    }

    public bool HasMessage(string type) => messages.Any(m => m.GetProperty("type").GetString() == type);

    public async Task CloseAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "tab closed", CancellationToken.None);
        }

        socket.Dispose();
    }
}
