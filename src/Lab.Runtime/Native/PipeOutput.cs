using System.Threading.Channels;

namespace Lab.Runtime.Native;

/// <summary>A process's stdout and stderr pipes, read on the event loop and copied in order to two streams.</summary>
internal sealed class PipeOutput
{
    private readonly Channel<(bool IsError, byte[] Data)> _chunks = Channel.CreateUnbounded<(bool, byte[])>();
    private readonly EventLoop _loop;
    private readonly List<(FileDescriptor Fd, bool IsError)> _open = [];
    private readonly byte[] _buffer = new byte[16 * 1024];

    public PipeOutput(EventLoop loop, FileDescriptor stdout, FileDescriptor stderr)
    {
        _loop = loop;
        Register(stdout, isError: false);
        Register(stderr, isError: true);
    }

    private void Register(FileDescriptor fd, bool isError)
    {
        fd.SetNonBlocking();
        lock (_open) _open.Add((fd, isError));
        _loop.Add(fd.Fd, () => Drain(fd, isError));
    }

    // Reads until the pipe would block; at end of file, stops watching it. Runs on the loop, or once on the
    // caller in Finish — the lock keeps the two from reading one pipe at the same time.
    private void Drain(FileDescriptor fd, bool isError)
    {
        lock (_open)
        {
            if (!_open.Contains((fd, isError))) return;
            while (true)
            {
                int n = fd.Read(_buffer);
                if (n > 0) { _chunks.Writer.TryWrite((isError, _buffer.AsSpan(0, n).ToArray())); continue; }
                if (n < 0) return;
                Close(fd, isError);
                return;
            }
        }
    }

    private void Close(FileDescriptor fd, bool isError)
    {
        _loop.Remove(fd.Fd);
        fd.Dispose();
        _open.Remove((fd, isError));
        if (_open.Count == 0) _chunks.Writer.TryComplete();
    }

    /// <summary>The process has exited: take what its pipes still hold and stop there, even if a background
    /// child it left behind keeps them open (`docker exec` ends with its process, too).</summary>
    public void Finish()
    {
        lock (_open)
        {
            foreach (var (fd, isError) in _open.ToList())
            {
                Drain(fd, isError);
                if (_open.Contains((fd, isError))) Close(fd, isError);
            }
        }
    }

    /// <summary>Completes when both pipes are closed or <see cref="Finish"/> was called.</summary>
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
