using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Lab.Runtime.Native;

/// <summary>What a connected socket has sent that its peer has not read yet.</summary>
public static unsafe class SocketQueue
{
    // SIOCOUTQ, which asm-generic/sockios.h defines as TIOCOUTQ.
    const int SIOCOUTQ = 0x5411;

    /// <summary>Bytes still queued on <paramref name="socket"/>'s sending side. On a unix stream socket they stay
    /// charged to the sender until the receiver has read them, so 0 means the peer has read everything sent.</summary>
    public static int Unread(SafeHandle socket)
    {
        var added = false;
        socket.DangerousAddRef(ref added);
        try
        {
            int queued;
            if (LibC.ioctl((int)socket.DangerousGetHandle(), SIOCOUTQ, &queued) < 0)
                throw LinuxException.FromLastError("ioctl SIOCOUTQ");
            return queued;
        }
        finally
        {
            if (added) socket.DangerousRelease();
        }
    }
}
