using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lab.Runtime.Machines;
using Lab.Web.Errors;

namespace Lab.Web.Control;

/// <summary>The `lab machine` commands' side of the control API (<see cref="ControlFeature"/>): HTTP over the
/// server's unix socket. Failures are <see cref="ControlException"/>s whose message is ready to print.</summary>
public sealed class ControlClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly string socketPath;
    private readonly HttpClient http;

    public ControlClient(string socketPath)
    {
        this.socketPath = socketPath;
        http = new HttpClient(new SocketsHttpHandler { ConnectCallback = ConnectAsync })
        {
            BaseAddress = new Uri("http://lab/control/machines/"),
            Timeout = Timeout.InfiniteTimeSpan, // exec runs as long as its command
        };
    }

    public async Task<IReadOnlyList<MachineInfo>> ListAsync(CancellationToken ct) =>
        await ReadJsonAsync<List<MachineInfo>>(await SendAsync(HttpMethod.Get, "", null, ct), ct);

    public async Task<MachineInfo> StartAsync(string name, CancellationToken ct) => await StartAsync(name, null, ct);

    public async Task<MachineInfo> StartAsync(string name, MachineLimits? limits, CancellationToken ct) =>
        await ReadJsonAsync<MachineInfo>(await SendAsync(HttpMethod.Post, $"{Escape(name)}/start",
            limits is null ? null : System.Net.Http.Json.JsonContent.Create(limits), ct), ct);

    public async Task StopAsync(string name, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Post, $"{Escape(name)}/stop", null, ct)).Dispose();

    public async Task RemoveAsync(string name, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Delete, Escape(name), null, ct)).Dispose();

    /// <summary>Runs the command, streaming its output to <paramref name="stdout"/> and <paramref name="stderr"/>
    /// as it comes; returns its exit code.</summary>
    public async Task<int> ExecAsync(string name, IReadOnlyList<string> argv, Stream stdout, Stream stderr, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, $"{Escape(name)}/exec",
            JsonContent.Create(new ControlFeature.ExecRequest(argv), options: Json), ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var (code, error) = await ExecStream.CopyAsync(body, stdout, stderr, ct);
        return code ?? throw new ControlException(error!);
    }

    public void Dispose() => http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(new HttpRequestMessage(method, path) { Content = content },
                HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException socket)
        {
            throw new ControlException(NotReachable(socket.SocketErrorCode));
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var message = await TryReadMessageAsync(response, ct);
            throw new ControlException(message ?? $"the lab server answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }
    }

    private string NotReachable(SocketError error) => (File.Exists(socketPath), error) switch
    {
        (false, _) => $"lab server is not running (no socket at {socketPath}); start it with `make run` or `bin/lab serve`",
        (true, SocketError.ConnectionRefused) =>
            $"lab server is not running (stale socket at {socketPath}); start it with `make run` or `bin/lab serve`",
        (true, SocketError.AccessDenied) =>
            $"permission denied on {socketPath}: the lab machine commands are for root (try sudo)",
        (true, _) => $"cannot reach the lab server at {socketPath}: {error}",
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        using (response)
        {
            return await response.Content.ReadFromJsonAsync<T>(Json, ct)
                ?? throw new ControlException("the lab server sent an empty answer");
        }
    }

    private static async Task<string?> TryReadMessageAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync<ErrorMessage>(Json, ct))?.Message;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    private static string Escape(string name) => Uri.EscapeDataString(name);
}

/// <summary>A control request failed; the message says why, for the person at the terminal.</summary>
public sealed class ControlException(string message) : Exception(message);
