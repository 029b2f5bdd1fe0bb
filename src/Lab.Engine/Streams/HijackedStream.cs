using Lab.Engine.Hosting;

namespace Lab.Engine.Streams;

/// <summary>A hijacked connection whose first write waits until the client has read the <c>101 UPGRADED</c> head.
/// docker-py reads the head through a buffered reader and then reads the stream from the raw socket, so output
/// that arrived together with the head sits in a buffer it never looks at again: `exec_run(["echo", "hi"])` then
/// returns nothing (docker/docker-py#2042, #3332). dockerd rarely loses that race because runc takes tens of
/// milliseconds to start the process; Lab starts it in a few, and lost it about one run in ten. The wait is bounded:
/// a client that does not read at all gets its output after <see cref="MaxWait"/>, as before.</summary>
public sealed class HijackedStream(Stream inner, IConnectionDeliveryFeature? delivery, long sentBeforeHead) : Stream
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    Task? _headRead;

    public override bool CanRead => inner.CanRead;
    public override bool CanWrite => inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(buffer, ct);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        inner.ReadAsync(buffer, offset, count, ct);

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        await (_headRead ??= HeadReadAsync(ct));
        await inner.WriteAsync(buffer, ct);
    }

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override ValueTask DisposeAsync() => inner.DisposeAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The head was flushed into the transport before this stream existed: it is read once the transport has
    /// sent something since then and nothing sent is left unread.</summary>
    async Task HeadReadAsync(CancellationToken ct)
    {
        if (delivery is null) return;
        var deadline = DateTime.UtcNow + MaxWait;
        try
        {
            while (delivery.SentBytes <= sentBeforeHead || delivery.UnreadBytes > 0)
            {
                if (DateTime.UtcNow >= deadline) return;
                await Task.Delay(1, ct);
            }
        }
        catch (Exception e) when (e is Lab.Runtime.Native.LinuxException or ObjectDisposedException)
        {
            // a socket that cannot tell (closed meanwhile): the write that follows reports the real state
        }
    }
}
