using Tmds.Linux;

namespace Lab.Runtime.Native;

/// <summary>An owned file descriptor (always opened O_CLOEXEC so no child inherits it by accident).</summary>
public sealed class FileDescriptor : System.Runtime.InteropServices.SafeHandle
{
    public FileDescriptor(int fd) : base(-1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle == -1;

    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;

    /// <summary>open(2) of a host path (never one a student chose: see <see cref="ResolveInRoot"/>), with O_CLOEXEC
    /// added and EINTR retried.</summary>
    public static unsafe FileDescriptor Open(string path, int flags)
    {
        fixed (byte* p = System.Text.Encoding.UTF8.GetBytes(path + "\0"))
        {
            while (true)
            {
                int fd = LibC.open(p, flags | LibC.O_CLOEXEC, 0);
                if (fd >= 0) return new FileDescriptor(fd);
                int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno != LibC.EINTR) throw new LinuxException(errno, $"open '{path}'");
            }
        }
    }

    /// <summary>A file opened read-only (a namespace file such as /proc/PID/ns/net: a descriptor to setns(2) into).</summary>
    public static FileDescriptor OpenReadOnly(string path) => Open(path, LibC.O_RDONLY);

    /// <summary>A file opened write-only (a cgroup's cgroup.procs, for the process that joins it).</summary>
    public static FileDescriptor OpenWriteOnly(string path) => Open(path, LibC.O_WRONLY);

    /// <summary>/dev/null, for the standard streams of processes that must not read or write ours.</summary>
    public static FileDescriptor OpenDevNull() => Open("/dev/null", LibC.O_RDWR);

    /// <summary>A pipe whose both ends are close-on-exec: (read, write).</summary>
    public static unsafe (FileDescriptor Read, FileDescriptor Write) Pipe()
    {
        int* fds = stackalloc int[2];
        if (LibC.pipe2(fds, LibC.O_CLOEXEC) < 0) throw LinuxException.FromLastError("pipe2");
        return (new FileDescriptor(fds[0]), new FileDescriptor(fds[1]));
    }

    /// <summary>A connected AF_UNIX stream pair, close-on-exec.</summary>
    public static unsafe (FileDescriptor A, FileDescriptor B) SocketPair()
    {
        int* fds = stackalloc int[2];
        if (LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, fds) < 0)
            throw LinuxException.FromLastError("socketpair");
        return (new FileDescriptor(fds[0]), new FileDescriptor(fds[1]));
    }

    public void SetNonBlocking()
    {
        int flags = LibC.fcntl(Fd, LibC.F_GETFL, 0);
        if (flags < 0 || LibC.fcntl(Fd, LibC.F_SETFL, flags | LibC.O_NONBLOCK) < 0)
            throw LinuxException.FromLastError("fcntl O_NONBLOCK");
    }

    /// <summary>Reads what is available; 0 at end of file, -1 when it would block. EINTR is retried here.</summary>
    public unsafe int Read(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long n = LibC.read(Fd, p, buffer.Length);
                if (n >= 0) return (int)n;
                int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == LibC.EINTR) continue;
                if (errno == LibC.EAGAIN) return -1;
                if (errno == LibC.EIO) return 0; // a pty master reads EIO once every slave is closed
                throw new LinuxException(errno, "read");
            }
        }
    }

    /// <summary>Writes everything, waiting (poll) while a non-blocking fd is full. EINTR is retried here.</summary>
    public unsafe void WriteAll(ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                long n = LibC.write(Fd, start + done, data.Length - done);
                if (n >= 0) { done += (int)n; continue; }
                int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == LibC.EINTR) continue;
                if (errno != LibC.EAGAIN) throw new LinuxException(errno, "write");
                var pfd = new pollfd { fd = Fd, events = LibC.POLLOUT };
                LibC.poll(&pfd, 1, 1000);
            }
        }
    }
}
