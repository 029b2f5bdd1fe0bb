using Tmds.Linux;

namespace Lab.Runtime.Native;

/// <summary>The pty calls: window size on the master, and receiving a master fd sent over a unix socket.</summary>
internal static unsafe class Pty
{
    public static void SetWindowSize(FileDescriptor master, ushort cols, ushort rows)
    {
        var size = new winsize { ws_col = cols, ws_row = rows };
        if (LibC.ioctl(master.Fd, LibC.TIOCSWINSZ, &size) < 0) throw LinuxException.FromLastError("ioctl TIOCSWINSZ");
    }

    /// <summary>Receives one descriptor passed with SCM_RIGHTS (runc's --console-socket protocol, in miniature).</summary>
    public static FileDescriptor ReceiveFd(FileDescriptor socket)
    {
        byte data;
        var iov = new iovec { iov_base = &data, iov_len = 1 };
        int space = (int)LibC.CMSG_SPACE(sizeof(int));
        byte* control = stackalloc byte[space];
        var msg = new msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = space };
        long n;
        while ((n = LibC.recvmsg(socket.Fd, &msg, LibC.MSG_CMSG_CLOEXEC)) < 0
               && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == LibC.EINTR) { }
        if (n < 0) throw LinuxException.FromLastError("recvmsg console socket");
        var cmsg = LibC.CMSG_FIRSTHDR(&msg);
        if (n == 0 || cmsg == null || cmsg->cmsg_type != LibC.SCM_RIGHTS)
            throw new LabException(ErrorKind.Unavailable, "the terminal helper sent no pty");
        return new FileDescriptor(*(int*)LibC.CMSG_DATA(cmsg));
    }
}
