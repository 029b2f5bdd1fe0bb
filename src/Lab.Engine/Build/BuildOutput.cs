using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;

namespace Lab.Engine.Build;

/// <summary>dockerd's classic build stream (streamformatter): one JSON object per line, <c>{"stream":"Step 1/5 :
/// FROM debian\n"}</c> for text, <c>{"aux":{"ID":"sha256:…"}}</c> for the built image's id, and
/// <c>{"errorDetail":{"code":1,"message":"…"},"error":"…"}</c> to end a failed build (the CLI exits with that code).
/// With <c>q</c> the step text is kept back and only the id is sent, as <c>docker build -q</c> prints it.
/// Lines are queued (a RUN's output and pull progress arrive on callbacks) and one pump writes them in order,
/// flushing whenever the queue runs empty so the CLI prints a step as it happens; <see cref="DisposeAsync"/>
/// waits for the queue.</summary>
public sealed class BuildOutput : IAsyncDisposable
{
    static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    readonly StringBuilder _kept = new();
    readonly Stream _output;
    readonly Task _pump;

    public BuildOutput(Stream output, bool quiet, CancellationToken ct)
    {
        _output = output;
        Quiet = quiet;
        _pump = PumpAsync(ct);
    }

    public bool Quiet { get; }

    /// <summary>What a quiet build kept back (dockerd sends it with the error when a quiet build fails).</summary>
    public string Kept
    {
        get { lock (_kept) return _kept.ToString(); }
    }

    /// <summary>Build text: "Step 1/3 : …", " ---> …", a RUN's output. Kept back with -q.</summary>
    public void Text(string text)
    {
        if (Quiet) lock (_kept) _kept.Append(text);
        else Enqueue(new { stream = text });
    }

    /// <summary>Text that is shown even with -q (the id a quiet build prints).</summary>
    public void Always(string text) => Enqueue(new { stream = text });

    public void AuxId(string imageId) => Enqueue(new { aux = new { ID = imageId } });

    public void Error(string message, int? code = null)
    {
        if (code is { } c) Enqueue(new { errorDetail = new { code = c, message }, error = message });
        else Enqueue(new { errorDetail = new { message }, error = message });
    }

    /// <summary>A line already encoded (pull progress from the registry client).</summary>
    public void Raw(byte[] json)
    {
        if (!Quiet) _queue.Writer.TryWrite(json);
    }

    void Enqueue(object line) => _queue.Writer.TryWrite(JsonSerializer.SerializeToUtf8Bytes(line, Json));

    /// <summary>Writes what is queued and flushes once per batch: a cached step's three lines arrive together,
    /// and a flush per line cost more than the step itself.</summary>
    async Task PumpAsync(CancellationToken ct)
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync(ct))
        {
            while (reader.TryRead(out var line))
            {
                await _output.WriteAsync(line, ct);
                await _output.WriteAsync(LineEnd, ct);
            }
            await _output.FlushAsync(ct);
        }
    }

    static readonly ReadOnlyMemory<byte> LineEnd = "\r\n"u8.ToArray();

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump;
    }
}
