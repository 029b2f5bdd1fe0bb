using Lab.Runtime;
using Lab.Runtime.Machines;
using Lab.Runtime.Native;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Identity;

/// <summary>The production resolver: the kernel's record of the peer process (SO_PEERPIDFD, else SO_PEERCRED),
/// its cgroup (<see cref="MachineCgroup"/>), and the machine host's word that such a machine is running. The
/// answer is computed once per connection: a connection cannot change its peer.</summary>
public sealed class CgroupCallerResolver(RuntimeOptions options, IMachineHost machines) : ICallerResolver
{
    static readonly object CacheKey = new();
    // The server's own cgroups, read once: machines are placed below them when the server starts, and a server that
    // moved would have lost its machines' paths anyway. (Each docker command is a new connection: this was a read each.)
    readonly Lazy<string> _ownCgroups = new(() => File.ReadAllText("/proc/self/cgroup"));

    public string? ResolveMachine(HttpContext context)
    {
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is not null && items.TryGetValue(CacheKey, out var cached)) return (string?)cached;
        var machine = Resolve(context);
        if (items is not null) items[CacheKey] = machine;
        return machine;
    }

    string? Resolve(HttpContext context)
    {
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null || socket.AddressFamily != System.Net.Sockets.AddressFamily.Unix) return null;

        using var peer = PeerCredentials.Of(socket.SafeHandle);
        string peerCgroups;
        try
        {
            peerCgroups = File.ReadAllText($"/proc/{peer.Pid}/cgroup");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the peer is gone already
        }
        // The pid read above may have been recycled between connect(2) and now; the pidfd says if it was.
        if (!peer.IsSameProcessAlive()) return null;

        var name = MachineCgroup.MachineOf(peerCgroups, _ownCgroups.Value, options.CgroupParent);
        return name is not null && machines.Find(name) is { State: MachineState.Running } ? name : null;
    }
}
