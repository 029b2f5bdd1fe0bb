using System.Text;
using Lab.Runtime.Machines;
using Lab.Runtime.Native;

namespace Lab.Runtime.Containers;

/// <summary>Starts a container's PID 1 through `lab-init run` with its stdio wired to the server: pipes for
/// stdout/stderr (and stdin when it is open), or a pty whose master comes back over the console socket.</summary>
/// Once the container exists, <paramref name="prepare"/> runs with its pid (its network is made then) while the
/// container makes its mounts; its command starts only after that. Its PID 1 is handed to this process (a child
/// subreaper) when the helper exits (native/lab-init.c run), so <see cref="MonitorPid"/>, the process whose exit
/// status is the container's, is PID 1 itself: no monitor process runs beside a container.
internal sealed record ContainerProcess(int Pid, int MonitorPid, ContainerIo Io)
{
    public static async Task<ContainerProcess> StartAsync(InitHelper helper, EventLoop loop, IReadOnlyList<string> args,
        ContainerLog log, ContainerSpec spec, IReadOnlyList<Action<LogEntry>> attached, Func<int, Task> prepare,
        CancellationToken ct)
    {
        var (statusRead, statusWrite) = FileDescriptor.Pipe();
        using var status = statusRead;
        using var stdio = new ProcessStdio(spec.Tty, spec.OpenStdin);
        var (syncRead, go) = FileDescriptor.Pipe();
        int helperPid;
        using (statusWrite)
        using (syncRead)
        {
            try
            {
                helperPid = Spawner.Spawn(helper.Path, args, ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
                [
                    (InitHelper.StatusFd, statusWrite), (InitHelper.SeccompFd, helper.Seccomp), (InitHelper.SyncFd, syncRead),
                    .. stdio.ChildFds,
                ]);
            }
            finally
            {
                stdio.CloseChildEnds();
            }
        }
        var master = stdio.Console is null ? null : Task.Run(() => Pty.ReceiveFd(stdio.Console), CancellationToken.None);
        var seen = new StringBuilder();
        // One trip to the thread pool for both blocking steps (each trip is a wake-up on a busy machine); not
        // cancellable: the helper must be reaped, and it exits as soon as it has reported.
        var report = await Task.Run(() =>
        {
            var first = InitHelper.ReadFirst(status, seen);
            if (first.Pid is int child) Spawner.Expect(child); // ours once the helper exits: not a stray to reap
            Spawner.Wait(helperPid);
            return first;
        }, CancellationToken.None);
        string? failure = report.Error;
        if (failure is null && report.Pid is int waiting)
        {
            try { await prepare(waiting); }
            catch (LabException e) { failure = e.Message; Signals.Send(waiting, Signals.SIGKILL); }
        }
        using (go)
        {
            try { go.WriteAll("g"u8); } // the container goes on (or, killed, exits)
            catch (LinuxException) { } // it is gone already: its status says why
        }
        if (failure is null) report = await InitHelper.ReadRestAsync(status, seen, ct);
        if ((failure ??= report.Error) is not null || report.Pid is not int pid)
        {
            // It reported its error and exits (125): reap it. A stray sweep may have been first: nothing to reap then.
            if (report.Pid is int dead)
                try { await Task.Run(() => Spawner.TryWait(dead) ?? Spawner.Wait(dead), CancellationToken.None); }
                catch (LinuxException) { }
            if (master is not null && await Task.WhenAny(master, Task.Delay(100)) == master) (await master).Dispose();
            throw new LabException(ErrorKind.InvalidParameter,
                $"failed to start the container process: {failure ?? "the init helper reported nothing"}");
        }
        var io = stdio.Connect(loop, log, master is null ? null : await master, attached);
        return new ContainerProcess(pid, pid, io);
    }
}
