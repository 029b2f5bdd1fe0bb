using System.Threading.Channels;
using Lab.Runtime.Containers;

namespace Lab.Engine.Streams;

/// <summary>Writes a container's or exec's output to a client in order, framed (<see cref="StdCopy"/>) or raw
/// (tty). Output arrives on runtime threads via callbacks; a channel hands it to one writer task, so a slow client
/// never blocks the container's output pump, and entries keep their order.</summary>
public sealed class OutputWriter
{
    // Not SingleReader: that channel's reader cannot count, and RunAsync flushes when the queue is empty. Reading
    // Count there threw after the first entry, and every stream (attach, exec, logs -f) stopped at its first chunk.
    readonly Channel<LogEntry> _queue = Channel.CreateUnbounded<LogEntry>();
    readonly Stream _output;
    readonly bool _raw;
    readonly bool _timestamps;

    public OutputWriter(Stream output, bool raw, bool timestamps = false) =>
        (_output, _raw, _timestamps) = (output, raw, timestamps);

    /// <summary>Queues an entry (any thread).</summary>
    public void Post(LogEntry entry) => _queue.Writer.TryWrite(entry);

    /// <summary>No more entries will be posted; <see cref="RunAsync"/> ends once the queue is written.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Writes queued entries until <see cref="Complete"/> and the queue is empty.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        await foreach (var entry in _queue.Reader.ReadAllAsync(ct))
        {
            await WriteAsync(entry, ct);
            if (_queue.Reader.Count == 0) await _output.FlushAsync(ct);
        }
        await _output.FlushAsync(ct);
    }

    public async Task WriteAsync(LogEntry entry, CancellationToken ct)
    {
        var data = _timestamps ? WithTimestamp(entry) : entry.Data;
        if (_raw) await _output.WriteAsync(data, ct);
        else await _output.WriteAsync(StdCopy.Frame(entry.Stream, data), ct);
    }

    /// <summary>dockerd's `logs -t`: RFC 3339 with nanoseconds, then a space, before the entry.</summary>
    static byte[] WithTimestamp(LogEntry entry) =>
        [.. System.Text.Encoding.ASCII.GetBytes(Timestamp(entry.Time) + " "), .. entry.Data];

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", System.Globalization.CultureInfo.InvariantCulture);
}
