using System.Collections.Concurrent;
using Lab.Runtime.Native;

namespace Lab.Runtime.Networks;

/// <summary>The links of bridge networks inside a lab machine's own network namespace: one bridge per network
/// (lab0 for the default one, br-&lt;id&gt; for user-defined ones) and one veth pair per container and network.
/// Everything is made with iproute2 entered into the machine's or the container's namespace (nsenter) from outside:
/// the student's root has no CAP_NET_ADMIN, and nothing of it exists on the host.
/// Isolation between networks: the machine's namespace does not forward (ip_forward 0), so a packet sent to another
/// network's subnet stops at its own bridge's gateway; bridges only switch between their own ports.</summary>
internal sealed class BridgeLinks
{
    // A new boot, a new bridge. Lazy: GetOrAdd may run its factory twice for two containers starting at once, and
    // the second `ip link add` of the same bridge would fail with "File exists".
    private readonly ConcurrentDictionary<(int MachinePid, string Device), Lazy<Task>> _ready = new();

    public Task EnsureBridgeAsync(int machinePid, string device, string gateway, int prefixLength) =>
        _ready.GetOrAdd((machinePid, device), key => new Lazy<Task>(() => CreateBridgeAsync(key, gateway, prefixLength))).Value;

    private async Task CreateBridgeAsync((int MachinePid, string Device) key, string gateway, int prefixLength)
    {
        var (machinePid, device) = key;
        try
        {
            NetNamespace.Run(machinePid, () =>
            {
                // A new namespace inherits the host's ipv4 settings (devconf_inherit_init_net): forwarding may be on.
                File.WriteAllText("/proc/sys/net/ipv4/ip_forward", "0");
                return 0;
            });
            // A machine adopted after a server restart has its bridges already.
            var (exists, _) = await SystemTool.RunAsync("nsenter",
                [$"--net=/proc/{machinePid}/ns/net", SystemTool.Find("ip"), "link", "show", device]);
            if (exists == 0) return;
            await IpAsync(machinePid,
                $"link add {device} type bridge",
                $"addr add {gateway}/{prefixLength} brd + dev {device}",
                $"link set {device} up");
        }
        catch
        {
            _ready.TryRemove(key, out _); // let the next container try again
            throw;
        }
    }

    /// <summary>Deletes a removed network's bridge (its veths are gone by then: the network had no endpoint).</summary>
    public async Task DeleteBridgeAsync(int machinePid, string device)
    {
        _ready.TryRemove((machinePid, device), out _);
        await SystemTool.RunAsync("nsenter", [$"--net=/proc/{machinePid}/ns/net", SystemTool.Find("ip"), "link", "del", device]);
    }

    /// <summary>Plugs a container into a bridge: the host end on the bridge, the other end moved into the
    /// container's namespace as <paramref name="ifname"/> with its address (and the default route when
    /// <paramref name="defaultRoute"/>).</summary>
    public async Task PlugAsync(int machinePid, int containerPid, string device, string hostVeth, string ifname,
        string address, int prefixLength, string mac, string? defaultRoute)
    {
        // The peer is made directly in the container's namespace, under its final name.
        await IpAsync(machinePid,
            $"link add {hostVeth} type veth peer name {ifname} netns {containerPid}",
            $"link set {hostVeth} master {device}",
            $"link set {hostVeth} up");
        var inside = new List<string>
        {
            "link set lo up", // before the container's own setup: the embedded DNS binds 127.0.0.11 next
            $"link set {ifname} address {mac}",
            $"addr add {address}/{prefixLength} brd + dev {ifname}", // with its broadcast address, as dockerd sets it
            $"link set {ifname} up",
        };
        if (defaultRoute is not null) inside.Add($"route add default via {defaultRoute}");
        await IpAsync(containerPid, [.. inside]);
    }

    /// <summary>Unplugs a running container: deleting the host end deletes its peer in the container.</summary>
    public static async Task UnplugAsync(int machinePid, string hostVeth) =>
        await SystemTool.RunAsync("nsenter", [$"--net=/proc/{machinePid}/ns/net", SystemTool.Find("ip"), "link", "del", hostVeth]);

    // One `ip -batch` per namespace: a process start is the cost that matters here.
    private static async Task IpAsync(int pid, params string[] commands)
    {
        var batch = Path.Combine(Path.GetTempPath(), $"lab-ip-{Guid.NewGuid():N}");
        await File.WriteAllLinesAsync(batch, commands);
        try
        {
            await SystemTool.RunCheckedAsync("nsenter", [$"--net=/proc/{pid}/ns/net", SystemTool.Find("ip"), "-batch", batch]);
        }
        finally
        {
            File.Delete(batch);
        }
    }
}
