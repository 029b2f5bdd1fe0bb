using System.Net.Sockets;
using Lab.Runtime.Native;
using Microsoft.AspNetCore.Connections.Features;

namespace Lab.Web.Control;

/// <summary>Who may use the control API: a connection on the control socket (never TCP) from a process of root
/// or of the server's own user. The socket file is 0600 as well; the peer check keeps the rule true even if
/// someone loosens the file's mode.</summary>
internal static class ControlPeer
{
    public static bool IsAllowed(HttpContext context)
    {
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null || socket.AddressFamily != AddressFamily.Unix)
        {
            return false;
        }

        uint uid;
        try
        {
            using var peer = PeerCredentials.Of(socket.SafeHandle);
            uid = peer.Uid;
        }
        catch (LinuxException)
        {
            return false; // no credentials: not a connected unix socket
        }

        return uid == 0 || uid == ProcessIdentity.EffectiveUserId;
    }
}
