using Lab.Runtime.Machines;
using Lab.Runtime.Native;

namespace Lab.Runtime.Containers;

/// <summary>Starts a container's PID 1 through its machine's agent (native/lab-init.c run) with its stdio wired to
/// the server: pipes for stdout/stderr (and stdin when it is open), or a pty whose master comes back over the
/// console socket.</summary>
/// Once the container exists, <paramref name="prepare"/> runs with its pid (its network is made then) while the
/// container makes its mounts; its command starts only after that. Its PID 1 is this process's own child (the agent
/// clones it with CLONE_PARENT), so <see cref="MonitorPid"/>, the process whose exit status is the container's, is
/// PID 1 itself: no monitor process runs beside a container.
internal sealed record ContainerProcess(int Pid, int MonitorPid, ContainerIo Io)
{
    /// <summary>The file the container writes "0" to, joining a cgroup: a v1 hierarchy's tasks file moves the calling
    /// thread (the just-cloned container has only that one) without the kernel's global threadgroup lock, whose
    /// write side waits for an RCU grace period on every cgroup.procs write (5-30 ms a start here; lab-init exec
    /// does the same, see join_cgroups_as_thread). cgroup v2 has no tasks file outside threaded subtrees.</summary>
    private static string JoinFile(string dir) =>
        File.Exists(Path.Combine(dir, "tasks")) ? Path.Combine(dir, "tasks") : Path.Combine(dir, "cgroup.procs");

    /// <summary>The request's descriptors: <paramref name="layers"/> as detached clones, the cgroups' join files
    /// and, for `--network container:NAME`, that net namespace, in <see cref="InitHelper.RunRequest"/>'s
    /// order.</summary>
    public static async Task<ContainerProcess> StartAsync(MachineAgents agents, string machine, EventLoop loop,
        IReadOnlyList<string> request, IReadOnlyList<string> layers, IReadOnlyList<string> cgroups, string? netnsPath,
        ContainerLog log, ContainerSpec spec, IReadOnlyList<Action<LogEntry>> attached, Func<int, Task> prepare,
        TimeSpan agentTimeout, CancellationToken ct)
    {
        var (statusRead, statusWrite) = FileDescriptor.Pipe();
        using var status = statusRead;
        using var stdio = new ProcessStdio(spec.Tty, spec.OpenStdin);
        var (syncRead, go) = FileDescriptor.Pipe();
        var (creds, credsTheirs) = AgentSocket.SeqPacketPair();
        using var _ = creds;
        AgentSocket.PassCredentials(creds);
        var passed = new List<FileDescriptor> { statusWrite, syncRead, credsTheirs };
        try
        {
            var fds = new List<(int, FileDescriptor)>(stdio.ChildFds)
                { (InitHelper.StatusFd, statusWrite), (InitHelper.SyncFd, syncRead), (InitHelper.CredsFd, credsTheirs) };
            int target = InitHelper.FirstPassedFd;
            foreach (var layer in layers) fds.Add((target++, Passed(passed, AgentSocket.OpenTreeClone(layer))));
            foreach (var dir in cgroups) fds.Add((target++, Passed(passed, FileDescriptor.OpenWriteOnly(JoinFile(dir)))));
            if (netnsPath is not null) fds.Add((target++, Passed(passed, FileDescriptor.OpenReadOnly(netnsPath))));
            await agents.SendAsync(machine, request, fds);
        }
        catch (LinuxException e)
        {
            go.Dispose();
            throw new LabException(ErrorKind.InvalidParameter, $"failed to start the container process: {e.Message}", e);
        }
        finally
        {
            foreach (var fd in passed) fd.Dispose(); // the agent's child has its copies
            stdio.CloseChildEnds();
        }
        var master = stdio.Console is null ? null : Task.Run(() => Pty.ReceiveFd(stdio.Console), CancellationToken.None);
        // Blocking: off the caller's thread. Not cancellable: the container must be reaped, and it reports at once.
        string? failure = null;
        LabException? notPrepared = null; // the network's own error (a port taken), reported as dockerd words it
        int? started = await Task.Run(() =>
        {
            try
            {
                var pid = AgentSocket.ReceivePid(creds, agentTimeout);
                if (pid is int child) Spawner.Expect(child); // ours (CLONE_PARENT): not a stray to reap
                return pid;
            }
            catch (TimeoutException)
            {
                // The agent is a process of the student's machine: stopped (SIGSTOP) it would hang every start.
                agents.Kill(machine);
                failure = $"the machine's container agent did not answer within {agentTimeout.TotalSeconds:0.#} s (it was restarted)";
                return null;
            }
        }, CancellationToken.None);
        if (started is int waiting)
        {
            try { await prepare(waiting); }
            catch (LabException e) { failure = e.Message; notPrepared = e; Signals.Send(waiting, Signals.SIGKILL); }
        }
        using (go)
        {
            try { go.WriteAll("g"u8); } // the container goes on (or, killed, exits)
            catch (LinuxException) { } // it is gone already: its status says why
        }
        // EOF once it exec'd (the pipe is close-on-exec) or an error line; a container that failed before sending its
        // pid reported here too.
        var report = await InitHelper.ReadStatusAsync(status, ct);
        if ((failure ??= report.Error) is not null || started is not int pid)
        {
            // It reported its error and exits (125): reap it. A stray sweep may have been first: nothing to reap then.
            if (started is int dead)
                try { await Task.Run(() => Spawner.TryWait(dead) ?? Spawner.Wait(dead), CancellationToken.None); }
                catch (LinuxException) { }
            if (master is not null && await Task.WhenAny(master, Task.Delay(100)) == master) (await master).Dispose();
            if (notPrepared is not null) throw notPrepared;
            throw new LabException(ErrorKind.InvalidParameter,
                $"failed to start the container process: {failure ?? "the machine's agent reported nothing"}");
        }
        var io = stdio.Connect(loop, log, master is null ? null : await master, attached);
        return new ContainerProcess(pid, pid, io);
    }

    private static FileDescriptor Passed(List<FileDescriptor> passed, FileDescriptor fd)
    {
        passed.Add(fd);
        return fd;
    }
}
