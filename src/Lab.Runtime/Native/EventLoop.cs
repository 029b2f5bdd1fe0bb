using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Lab.Runtime.Native;

/// <summary>One epoll thread for the whole runtime: pty output, pipe output and process exits (pidfds) of every
/// machine are read here, so a terminal costs a registration, not a thread. Callbacks run on this thread and
/// must not block.</summary>
public sealed unsafe class EventLoop : IDisposable
{
    private readonly int _epoll;
    private readonly FileDescriptor _wakeRead;
    private readonly FileDescriptor _wakeWrite;
    private readonly ConcurrentDictionary<int, Action> _handlers = new();
    private readonly Thread _thread;
    private volatile bool _stopping;

    public EventLoop()
    {
        _epoll = LibC.epoll_create1(LibC.EPOLL_CLOEXEC);
        if (_epoll < 0) throw LinuxException.FromLastError("epoll_create1");
        (_wakeRead, _wakeWrite) = FileDescriptor.Pipe();
        _wakeRead.SetNonBlocking();
        Add(_wakeRead.Fd, () => { Span<byte> b = stackalloc byte[64]; while (_wakeRead.Read(b) > 0) { } });
        _thread = new Thread(Run) { IsBackground = true, Name = "lab-event-loop" };
        _thread.Start();
    }

    /// <summary>Calls <paramref name="onReadable"/> whenever <paramref name="fd"/> is readable or hung up
    /// (level-triggered: the handler reads until EAGAIN or removes the fd).</summary>
    public void Add(int fd, Action onReadable)
    {
        _handlers[fd] = onReadable;
        var ev = new epoll_event { events = LibC.EPOLLIN | LibC.EPOLLRDHUP };
        ev.data.fd = fd;
        if (LibC.epoll_ctl(_epoll, LibC.EPOLL_CTL_ADD, fd, &ev) < 0)
        {
            _handlers.TryRemove(fd, out _);
            throw LinuxException.FromLastError($"epoll_ctl add {fd}");
        }
    }

    /// <summary>Stops watching the fd (call before closing it).</summary>
    public void Remove(int fd)
    {
        _handlers.TryRemove(fd, out _);
        LibC.epoll_ctl(_epoll, LibC.EPOLL_CTL_DEL, fd, null);
    }

    public int Registrations => _handlers.Count - 1;

    private void Run()
    {
        const int max = 64;
        var events = stackalloc epoll_event[max];
        while (!_stopping)
        {
            int n = LibC.epoll_wait(_epoll, events, max, -1);
            if (n < 0)
            {
                if (Marshal.GetLastPInvokeError() == LibC.EINTR) continue;
                return;
            }
            for (int i = 0; i < n; i++)
            {
                if (!_handlers.TryGetValue(events[i].data.fd, out var handler)) continue;
                try { handler(); }
                catch (Exception e) { Console.Error.WriteLine($"lab: event handler for fd {events[i].data.fd} failed: {e.Message}"); }
            }
        }
    }

    private int _disposed;

    /// <summary>Idempotent: the epoll descriptor is a raw number, and closing it twice would close whatever file
    /// got that number in between (the DI container disposes a host once per registration that returns it).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping = true;
        byte one = 1;
        LibC.write(_wakeWrite.Fd, &one, 1);
        _thread.Join(TimeSpan.FromSeconds(2));
        LibC.close(_epoll);
        _wakeRead.Dispose();
        _wakeWrite.Dispose();
    }
}
