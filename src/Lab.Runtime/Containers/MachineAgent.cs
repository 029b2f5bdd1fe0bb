using Lab.Runtime.Machines;
using Lab.Runtime.Native;

namespace Lab.Runtime.Containers;

/// <summary>A lab machine's container agent (native/lab-init.c agent): one lab-init process living in the machine's
/// namespaces and cgroups, started at the machine's first container, that clones each container (and deletes
/// writable layers) on request. It holds nothing but its request socket, and it exits when that socket closes: when
/// the machine stops, when this server disposes it, or when the server dies (a restarted server starts a new one).
/// A student who kills it (it is a process of their machine) costs one restart, see <see cref="MachineAgents"/>.</summary>
internal sealed class MachineAgent(FileDescriptor socket, int machinePid, int pid) : IDisposable
{
    public int MachinePid { get; } = machinePid;

    /// <summary>The agent's pid (the server's child; reaped with the strays when it exits).</summary>
    public int Pid { get; } = pid;

    public static async Task<MachineAgent> StartAsync(InitHelper helper, int machinePid, IReadOnlyList<string> machineCgroups)
    {
        var (ours, theirs) = AgentSocket.SeqPacketPair();
        try
        {
            var (statusRead, statusWrite) = FileDescriptor.Pipe();
            using var status = statusRead;
            using var devNull = FileDescriptor.OpenDevNull();
            int spawned;
            using (theirs)
            using (statusWrite)
                spawned = Spawner.Spawn(helper.Path, helper.AgentArgs(machinePid, machineCgroups), ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
                    [(0, devNull), (1, devNull), (2, devNull), (InitHelper.StatusFd, statusWrite),
                     (InitHelper.SeccompFd, helper.Seccomp), (InitHelper.AgentFd, theirs)]);
            var report = await InitHelper.ReadStatusAsync(status, CancellationToken.None);
            await Task.Run(() => Spawner.Wait(spawned), CancellationToken.None);
            if (report.Error is not null || report.Pid is not int agent)
                throw new LabException(ErrorKind.Unavailable,
                    $"could not start the machine's container agent: {report.Error ?? "it reported nothing"}");
            return new MachineAgent(ours, machinePid, agent);
        }
        catch
        {
            ours.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request: <paramref name="args"/> (a mode and its options) with each descriptor placed at
    /// its target number in the agent's child. A dead agent throws <see cref="LinuxException"/>.</summary>
    public void Send(IReadOnlyList<string> args, IReadOnlyList<(int Target, FileDescriptor Fd)> fds)
    {
        bool held = false;
        socket.DangerousAddRef(ref held); // a concurrent Dispose must not close (and reuse) the number meanwhile
        try
        {
            AgentSocket.Send(socket, [args[0], "--fds", string.Join(',', fds.Select(f => f.Target)), .. args.Skip(1)],
                fds.Select(f => f.Fd).ToList());
        }
        finally
        {
            if (held) socket.DangerousRelease();
        }
    }

    public void Dispose() => socket.Dispose();
}
