using System.Net.Sockets;
using System.Runtime.InteropServices;
using Lab.Runtime.Native;
using Microsoft.AspNetCore.Connections.Features;

namespace Lab.Web.Control;

/// <summary>Who may use the control API: a connection on the control socket (never TCP) from a process of root
/// or of the server's own user. The socket file is 0600 as well; the peer check keeps the rule true even if
/// someone loosens the file's mode.</summary>
internal static class ControlPeer
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    public static bool IsAllowed(HttpContext context)
    {
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null || socket.AddressFamily != AddressFamily.Unix)
        {
            return false;
        }

        Span<byte> credentials = stackalloc byte[12]; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        if (socket.GetRawSocketOption(SolSocket, SoPeerCred, credentials) != credentials.Length)
        {
            return false;
        }

        var uid = MemoryMarshal.Read<uint>(credentials[4..]);
        return uid == 0 || uid == ProcessIdentity.EffectiveUserId;
    }
}
