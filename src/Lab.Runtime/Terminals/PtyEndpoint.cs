using Lab.Runtime.Native;
using Tmds.Linux;

namespace Lab.Runtime.Terminals;

/// <summary>A pty master on the event loop: output is read when the kernel says so and handed to the session;
/// input and window size go straight to the master.</summary>
internal sealed unsafe class PtyEndpoint : IPtyEndpoint
{
    private readonly EventLoop _loop;
    private readonly FileDescriptor _master;
    private readonly Action<ReadOnlySpan<byte>> _onOutput;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _closed;

    public PtyEndpoint(EventLoop loop, FileDescriptor master, Action<ReadOnlySpan<byte>> onOutput)
    {
        _loop = loop;
        _master = master;
        _onOutput = onOutput;
        _master.SetNonBlocking();
        _loop.Add(_master.Fd, OnReadable);
    }

    private void OnReadable()
    {
        while (true)
        {
            int n = _master.Read(_buffer);
            if (n > 0) { _onOutput(_buffer.AsSpan(0, n)); continue; }
            if (n == 0) Close(); // every slave closed: the shell and its children are gone
            return;
        }
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        if (Volatile.Read(ref _closed) == 0) _master.WriteAll(data);
    }

    public void Resize(ushort cols, ushort rows)
    {
        if (Volatile.Read(ref _closed) != 0) return;
        var size = new winsize { ws_col = cols, ws_row = rows };
        LibC.ioctl(_master.Fd, LibC.TIOCSWINSZ, &size);
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 1) return;
        _loop.Remove(_master.Fd);
        _master.Dispose();
    }

    /// <summary>Receives the master fd the helper sent over the console socket (SCM_RIGHTS).</summary>
    public static FileDescriptor ReceiveMaster(FileDescriptor socket)
    {
        byte data;
        var iov = new iovec { iov_base = &data, iov_len = 1 };
        int space = (int)LibC.CMSG_SPACE(sizeof(int));
        byte* control = stackalloc byte[space];
        var msg = new msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = space };
        long n;
        while ((n = LibC.recvmsg(socket.Fd, &msg, LibC.MSG_CMSG_CLOEXEC)) < 0
               && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == LibC.EINTR) { }
        if (n <= 0) throw new LabException(ErrorKind.Unavailable, "the terminal helper sent no pty");
        var cmsg = LibC.CMSG_FIRSTHDR(&msg);
        if (cmsg == null || cmsg->cmsg_type != LibC.SCM_RIGHTS)
            throw new LabException(ErrorKind.Unavailable, "the terminal helper sent no pty descriptor");
        return new FileDescriptor(*(int*)LibC.CMSG_DATA(cmsg));
    }
}
