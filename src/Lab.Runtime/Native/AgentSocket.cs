using System.Runtime.InteropServices;
using System.Text;
using Lab.Runtime.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Lab.Runtime.Native;

/// <summary>The calls of a machine's container agent (native/lab-init.c agent): a SOCK_SEQPACKET pair (one message
/// per request, so requests never merge), a request sent with its descriptors (SCM_RIGHTS), a pid received as
/// SCM_CREDENTIALS (the kernel translates it from the container's pid namespace to ours), and open_tree(2) clones of
/// the image layers (a detached mount is what overlayfs accepts as a lower layer from another mount namespace).</summary>
internal static unsafe class AgentSocket
{
    private const int MaxFds = 253; // SCM_MAX_FD

    public static (FileDescriptor A, FileDescriptor B) SeqPacketPair()
    {
        int* fds = stackalloc int[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0) throw LinuxException.FromLastError("socketpair");
        return (new FileDescriptor(fds[0]), new FileDescriptor(fds[1]));
    }

    /// <summary>Lets <paramref name="socket"/> receive its peers' credentials (SO_PASSCRED).</summary>
    public static void PassCredentials(FileDescriptor socket)
    {
        int one = 1;
        if (setsockopt(socket.Fd, SOL_SOCKET, SO_PASSCRED, &one, sizeof(int)) < 0)
            throw LinuxException.FromLastError("setsockopt SO_PASSCRED");
    }

    /// <summary>Sends the NUL-separated <paramref name="args"/> with <paramref name="fds"/> as one message. A dead
    /// peer is a <see cref="LinuxException"/> (EPIPE, ECONNRESET), never SIGPIPE.</summary>
    public static void Send(FileDescriptor socket, IReadOnlyList<string> args, IReadOnlyList<FileDescriptor> fds)
    {
        if (fds.Count > MaxFds) throw new LabException(ErrorKind.InvalidParameter, $"too many descriptors for one request ({fds.Count})");
        var payload = Encoding.UTF8.GetBytes(string.Join('\0', args) + "\0");
        int space = (int)CMSG_SPACE(sizeof(int) * Math.Max(fds.Count, 1));
        byte* control = stackalloc byte[space];
        new Span<byte>(control, space).Clear();
        fixed (byte* data = payload)
        {
            var iov = new iovec { iov_base = data, iov_len = payload.Length };
            var msg = new msghdr { msg_iov = &iov, msg_iovlen = 1 };
            if (fds.Count > 0)
            {
                msg.msg_control = control;
                msg.msg_controllen = space;
                var cmsg = CMSG_FIRSTHDR(&msg);
                cmsg->cmsg_level = SOL_SOCKET;
                cmsg->cmsg_type = SCM_RIGHTS;
                // CMSG_LEN by hand: Tmds.LibC's rounds up, and the kernel then reads a padding int as one more fd (0).
                cmsg->cmsg_len = CMSG_LEN(0) + sizeof(int) * fds.Count;
                int* slots = (int*)CMSG_DATA(cmsg);
                for (int i = 0; i < fds.Count; i++) slots[i] = fds[i].Fd;
            }
            long n;
            while ((n = sendmsg(socket.Fd, &msg, MSG_NOSIGNAL)) < 0 && Marshal.GetLastPInvokeError() == EINTR) { }
            if (n < 0) throw LinuxException.FromLastError("sendmsg to the machine's agent");
        }
    }

    /// <summary>The pid a process sent as SCM_CREDENTIALS on <paramref name="socket"/> (which has SO_PASSCRED), in
    /// our pid namespace; null when the peer closed without sending (it failed and reported on its status fd).
    /// Throws <see cref="TimeoutException"/> when nothing came within <paramref name="timeout"/>.</summary>
    public static int? ReceivePid(FileDescriptor socket, TimeSpan timeout)
    {
        var limit = new Syscalls.Timeval { tv_sec = (long)timeout.TotalSeconds, tv_usec = timeout.Milliseconds * 1000L };
        if (setsockopt(socket.Fd, SOL_SOCKET, SO_RCVTIMEO, &limit, (uint)sizeof(Syscalls.Timeval)) < 0)
            throw LinuxException.FromLastError("setsockopt SO_RCVTIMEO");
        byte data;
        var iov = new iovec { iov_base = &data, iov_len = 1 };
        int space = (int)CMSG_SPACE(3 * sizeof(int));
        byte* control = stackalloc byte[space];
        var msg = new msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = space };
        long n;
        while ((n = recvmsg(socket.Fd, &msg, MSG_CMSG_CLOEXEC)) < 0 && Marshal.GetLastPInvokeError() == EINTR) { }
        if (n < 0 && Marshal.GetLastPInvokeError() == EAGAIN) throw new TimeoutException();
        if (n < 0) throw LinuxException.FromLastError("recvmsg container pid");
        if (n == 0) return null;
        for (var cmsg = CMSG_FIRSTHDR(&msg); cmsg != null; cmsg = CMSG_NXTHDR(&msg, cmsg))
            if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_CREDENTIALS)
            {
                int pid = *(int*)CMSG_DATA(cmsg); // struct ucred { pid, uid, gid }
                return pid > 0 ? pid : null;
            }
        return null;
    }

    /// <summary>A detached clone of the directory tree at <paramref name="hostPath"/> (open_tree OPEN_TREE_CLONE),
    /// close-on-exec: it disappears when the last descriptor of it closes.</summary>
    public static FileDescriptor OpenTreeClone(string hostPath)
    {
        fixed (byte* p = Encoding.UTF8.GetBytes(hostPath + "\0"))
        {
            int fd = Syscalls.open_tree(AT_FDCWD, p, Syscalls.OPEN_TREE_CLONE | (uint)O_CLOEXEC);
            return fd >= 0 ? new FileDescriptor(fd) : throw LinuxException.FromLastError($"open_tree '{hostPath}'");
        }
    }
}
