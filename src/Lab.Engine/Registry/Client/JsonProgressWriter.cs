using System.Text.Json;
using System.Threading.Channels;

namespace Lab.Engine.Registry.Client;

/// <summary>Writes progress events as dockerd's JSON-lines stream for <c>POST /images/create</c> and
/// <c>POST /images/{name}/push</c>:
/// <code>
/// {"status":"Pulling from library/busybox","id":"latest"}
/// {"status":"Downloading","progressDetail":{"current":32768,"total":2223812},"progress":"[&gt;   ]  32.77kB/2.224MB","id":"9ad63333ebc9"}
/// {"status":"Digest: sha256:…"}
/// {"errorDetail":{"message":"…"},"error":"…"}
/// </code>
/// Report only queues, so the client is never slowed by the network; a single writer drains the queue in order
/// with asynchronous writes (ASP.NET response bodies refuse synchronous ones) and flushes each line so the CLI
/// draws its bars as bytes arrive. Dispose waits until everything queued is written.</summary>
public sealed class JsonProgressWriter : IProgress<ProgressEvent>, IAsyncDisposable
{
    static readonly byte[] NewLine = "\r\n"u8.ToArray();
    readonly Channel<ProgressEvent> _queue = Channel.CreateUnbounded<ProgressEvent>(new UnboundedChannelOptions { SingleReader = true });
    readonly Stream _output;
    readonly Task _pump;

    public JsonProgressWriter(Stream output, CancellationToken ct = default)
    {
        _output = output;
        _pump = PumpAsync(ct);
    }

    public void Report(ProgressEvent value) => _queue.Writer.TryWrite(value);

    /// <summary>Queues the error line that ends a failed stream (the CLI prints its message and exits 1).</summary>
    public void ReportError(string message) => Report(new ProgressEvent(null) { Error = message });

    async Task PumpAsync(CancellationToken ct)
    {
        await foreach (var e in _queue.Reader.ReadAllAsync(ct))
        {
            // One write per line: each write is a chunk of its own, and docker-py's stream decoder fails on a
            // last chunk holding only the newline ("Expecting value: line 2 column 1").
            byte[] line = [.. Serialize(e), .. NewLine];
            await _output.WriteAsync(line, ct);
            await _output.FlushAsync(ct);
        }
    }

    /// <summary>One event as dockerd's jsonmessage.JSONMessage encodes it.</summary>
    public static byte[] Serialize(ProgressEvent e)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (e.Error is not null)
            {
                json.WriteStartObject("errorDetail");
                json.WriteString("message", e.Error);
                json.WriteEndObject();
                json.WriteString("error", e.Error);
            }
            if (e.Status is not null) json.WriteString("status", e.Status);
            if (e.HasDetail || e.Aux is not null)
            {
                json.WriteStartObject("progressDetail");
                if (e.Current is { } current) json.WriteNumber("current", current);
                if (e.Total is { } total) json.WriteNumber("total", total);
                json.WriteEndObject();
                if (e.Current is { } c) json.WriteString("progress", ProgressBar(c, e.Total));
            }
            if (e.Id is not null) json.WriteString("id", e.Id);
            if (e.Aux is not null)
            {
                json.WritePropertyName("aux");
                JsonSerializer.Serialize(json, e.Aux, e.Aux.GetType());
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>dockerd's <c>progress</c> text: a 50-column bar and decimal sizes, e.g.
    /// <c>[=====&gt;      ]  1.049MB/2.224MB</c>.</summary>
    public static string ProgressBar(long current, long? total)
    {
        if (total is not { } t || t <= 0) return $"{HumanSize(current),8}";
        var done = (int)Math.Clamp(current * 50 / t, 0, 50);
        return $"[{new string('=', done)}>{new string(' ', 50 - done)}] {HumanSize(current),8}/{HumanSize(t)}";
    }

    /// <summary>go-units' HumanSize: decimal units, four significant digits, <c>%.4g</c> ("2.224MB", "527B").</summary>
    public static string HumanSize(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB"];
        double size = bytes;
        var unit = 0;
        while (size >= 1000 && unit < units.Length - 1)
        {
            size /= 1000;
            unit++;
        }
        return size.ToString("G4", System.Globalization.CultureInfo.InvariantCulture) + units[unit];
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump;
    }
}
