using System.Threading.Channels;

namespace Lab.Runtime.Native;

/// <summary>A process's stdout and stderr pipes, read on the event loop and copied in order to two streams.</summary>
internal sealed class PipeOutput
{
    private readonly Channel<(bool IsError, byte[] Data)> _chunks = Channel.CreateUnbounded<(bool, byte[])>();
    private int _open = 2;

    public PipeOutput(EventLoop loop, FileDescriptor stdout, FileDescriptor stderr)
    {
        Register(loop, stdout, isError: false);
        Register(loop, stderr, isError: true);
    }

    private void Register(EventLoop loop, FileDescriptor fd, bool isError)
    {
        fd.SetNonBlocking();
        var buffer = new byte[16 * 1024];
        loop.Add(fd.Fd, () =>
        {
            while (true)
            {
                int n = fd.Read(buffer);
                if (n > 0) { _chunks.Writer.TryWrite((isError, buffer.AsSpan(0, n).ToArray())); continue; }
                if (n < 0) return; // EAGAIN: wait for the next readiness
                loop.Remove(fd.Fd);
                fd.Dispose();
                if (Interlocked.Decrement(ref _open) == 0) _chunks.Writer.TryComplete();
                return;
            }
        });
    }

    /// <summary>Completes when both pipes reached end of file (every writer, including grandchildren, closed them).</summary>
    public async Task CopyToAsync(Stream stdout, Stream stderr, CancellationToken ct)
    {
        await foreach (var (isError, data) in _chunks.Reader.ReadAllAsync(ct))
        {
            var target = isError ? stderr : stdout;
            await target.WriteAsync(data, ct);
            await target.FlushAsync(ct);
        }
    }
}
