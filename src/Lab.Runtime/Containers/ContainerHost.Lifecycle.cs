using System.Collections.Concurrent;
using Lab.Runtime.Machines;
using Lab.Runtime.Native;

namespace Lab.Runtime.Containers;

public sealed partial class ContainerHost
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _removed = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<int>> _nextExit = new();
    private Lab.Runtime.Volumes.VolumeHost? _volumes;

    /// <summary>The machines' volumes (src/Lab.Runtime/Volumes), which the containers mount.</summary>
    public Lab.Runtime.Volumes.VolumeHost Volumes => LazyInitializer.EnsureInitialized(ref _volumes, () => new(this));

    /// <summary>How long a machine's agent and the container it clones may take to report the container's pid (a
    /// clone, joining cgroups, two namespaces): generous for a loaded machine; past it the agent is restarted.</summary>
    internal TimeSpan AgentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>`docker start`: returns once PID 1 has exec'd (or throws with why it could not, leaving the
    /// container created, with State.Error set, as dockerd does). Starting a running container does nothing.</summary>
    public async Task StartAsync(string machine, string idOrName, CancellationToken ct = default)
    {
        var record = Get(machine, idOrName);
        using var _ = await LockAsync(Key(record), ct);
        record = Get(machine, record.Id);
        if (record.State.Paused)
            throw new LabException(ErrorKind.Conflict, "cannot start a paused container, try unpause instead");
        if (record.State.Running) return;
        await StartLockedAsync(record with { StoppedByUser = false }, ct);
    }

    private async Task StartLockedAsync(ContainerRecord record, CancellationToken ct)
    {
        int machinePid = _machines.InitPidOf(record.Machine);
        var user = ImageUsers.Resolve(record.Config.User, record.Layers);
        var cgroups = _machines.Cgroups;
        cgroups.Destroy(record.CgroupName); // what a crash left behind must not keep old processes or limits
        var cgroupDirs = cgroups.Create(record.CgroupName, LimitsOf(record));
        var log = LogOf(record);
        var netns = NetnsOf(record);
        string? netnsPath = netns.StartsWith('/') ? netns : null; // opened here: the agent's child cannot see our /proc
        var request = _machines.Helper.RunRequest(record.Id, record.Layers.Count, cgroupDirs.Count, netnsPath is not null,
            cgroupDirs, record.Config.Hostname, netns, WithLinkEnv(record, ConfigMerge.ProcessEnv(record.Config, record.Spec.Tty)),
            string.IsNullOrEmpty(record.Config.WorkingDir) ? "/" : record.Config.WorkingDir, user, record.Spec.Tty,
            record.Config.Command, [.. Volumes.ForStart(record), .. NetworkFileMounts(record)]); // network files last: over a volume at /etc
        var attached = TakePendingAttachments(Key(record));
        ContainerNetwork? network = null;
        IReadOnlyList<Networks.NetworkEndpoint> endpoints = [];
        Networks.PortPublisher? ports = null;
        async Task Connect(int pid)
        {
            endpoints = await PlugNetworksAsync(record, machinePid, pid, ct);
            if (endpoints.FirstOrDefault() is not { } primary) return;
            network = new ContainerNetwork { IpAddress = primary.IpAddress, Gateway = primary.Gateway, PrefixLength = primary.PrefixLength, MacAddress = primary.MacAddress };
            var bindings = PortBindingsOf(record);
            if (bindings.Count == 0) return;
            ports = Networks.PortPublisher.Publish(machinePid, network.IpAddress, bindings, $"{record.Name} ({primary.EndpointId})");
            network = network with { Ports = ports.Bound };
        }
        ContainerProcess started;
        try
        {
            started = await ContainerProcess.StartAsync(_agents, record.Machine, _machines.Loop, request, record.Layers,
                cgroupDirs, netnsPath, log, record.Spec, attached.Select(a => (Action<LogEntry>)a.Deliver).ToList(), Connect,
                AgentTimeout, ct);
        }
        catch (LabException e)
        {
            ports?.Dispose();
            ReleaseNetworking(record);
            lock (_pendingAttach) _pendingAttach.GetOrAdd(Key(record), _ => []).AddRange(attached); // for a retry
            cgroups.Destroy(record.CgroupName);
            _store.Save(record with { State = record.State with { Error = e.Message, ExitCode = ExitCodeFor(e.Message) } });
            throw;
        }
        var live = new LiveContainer(started.Io, started.Pid, started.MonitorPid) { Ports = ports };
        _live[Key(record)] = live;
        foreach (var attachment in attached) attachment.Connect(started.Io, live.Exited.Task, subscribe: false);
        var running = record with
        {
            State = new ContainerState
            {
                Status = ContainerStatus.Running, Pid = started.Pid, StartedAt = DateTimeOffset.UtcNow,
                FinishedAt = record.State.FinishedAt,
            },
            MonitorPid = started.MonitorPid,
            MonitorStartTime = ProcStat.StartTime(started.MonitorPid),
            Network = network,
            Endpoints = endpoints,
        };
        _store.Save(running);
        Raise(running, "start");
        if (!ProcessWatch.Watch(_machines.Loop, started.MonitorPid, isChild: true,
                code => _ = Task.Run(() => OnExitedAsync(running, live, code ?? 255))))
            _ = Task.Run(() => OnExitedAsync(running, live, Spawner.TryWait(started.MonitorPid) ?? 255));
    }

    // dockerd's codes for a process that could not be started: 127 not found, 126 not executable.
    private static int ExitCodeFor(string error) =>
        error.Contains("No such file") ? 127 : error.Contains("Permission denied") ? 126 : 128;

    // -p as asked, and with -P every exposed port not bound explicitly, on a free host port.
    private static IReadOnlyList<PortBinding> PortBindingsOf(ContainerRecord record)
    {
        var bindings = record.Spec.PortBindings.ToList();
        if (record.Spec.PublishAllPorts)
            bindings.AddRange(record.Config.ExposedPorts.Where(p => bindings.All(b => b.ContainerPort != p))
                .Select(p => new PortBinding(p.Contains('/') ? p : p + "/tcp")));
        return bindings;
    }

    // The largest page-aligned value cgroup v1 and v2 memory limits accept: no limit.
    private const long Unlimited = long.MaxValue & ~4095L;

    private MachineLimits LimitsOf(ContainerRecord record)
    {
        var machine = _machines.Find(record.Machine)?.Limits ?? MachineLimits.Default;
        var spec = record.Spec;
        return new MachineLimits
        {
            // Without a limit of its own a container has none: the machine's cgroup above it holds the quota, and
            // it is there that the kernel counts the OOM kill, as a student's `docker stats` on the machine shows.
            MemoryBytes = spec.MemoryBytes > 0 ? Math.Min(spec.MemoryBytes, machine.MemoryBytes) : Unlimited,
            Pids = spec.PidsLimit > 0 ? (int)Math.Min(spec.PidsLimit, machine.Pids) : machine.Pids,
            Cpus = spec.NanoCpus > 0 ? Math.Min(spec.NanoCpus / 1e9, machine.Cpus) : machine.Cpus,
            DiskBytes = machine.DiskBytes,
        };
    }

    private async Task OnExitedAsync(ContainerRecord started, LiveContainer live, int code)
    {
        // The output pipes end with the container's last process; a daemon it forked may keep them a little.
        await Task.WhenAny(live.Io.Closed.Task, Task.Delay(TimeSpan.FromSeconds(2)));
        live.Io.Close();
        live.Ports?.Dispose();
        ReleaseNetworking(started);
        ContainerRecord exited;
        bool restart;
        using (await LockAsync(Key(started), CancellationToken.None))
        {
            _live.TryRemove(new KeyValuePair<string, LiveContainer>(Key(started), live));
            var current = _store.Load(started.Machine, started.Id);
            bool oom = ReadOomKills(started) > 0;
            _machines.Cgroups.Destroy(started.CgroupName);
            if (current is null) { live.Exited.TrySetResult(code); return; } // removed meanwhile
            exited = current with
            {
                State = current.State with
                {
                    Status = ContainerStatus.Exited, Pid = 0, ExitCode = code, OomKilled = oom,
                    FinishedAt = DateTimeOffset.UtcNow,
                },
                MonitorPid = null, MonitorStartTime = null, Network = null, Endpoints = [],
            };
            restart = !exited.Spec.AutoRemove && MachineRunning(exited.Machine)
                && exited.Spec.RestartPolicy.ShouldRestart(code, exited.StoppedByUser, exited.RestartCount);
            if (restart) exited = exited with { State = exited.State with { Status = ContainerStatus.Restarting } };
            _store.Save(exited);
        }
        if (exited.State.OomKilled) Raise(exited, "oom");
        Raise(exited, "die", ("exitCode", code.ToString()));
        live.Exited.TrySetResult(code);
        if (_nextExit.TryRemove(Key(exited), out var next)) next.TrySetResult(code);
        if (exited.Spec.AutoRemove)
        {
            await RemoveAsync(exited.Machine, exited.Id, force: true);
            // --rm takes the anonymous volumes too, as dockerd does; a machine stopping meanwhile keeps them (prune).
            try { await Volumes.RemoveAnonymousOfAsync(exited); } catch (LabException) { }
        }
        else if (restart) await RestartAfterBackoffAsync(exited);
    }

    // dockerd waits 100 ms before the first restart and doubles it for each quick failure; a few steps are enough
    // here (a crash loop in a lesson should stay visible, not spin).
    private async Task RestartAfterBackoffAsync(ContainerRecord record)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Pow(2, Math.Min(record.RestartCount, 6))));
        using var _ = await LockAsync(Key(record), CancellationToken.None);
        var current = _store.Load(record.Machine, record.Id);
        if (current is null || current.State.Status != ContainerStatus.Restarting || !MachineRunning(record.Machine)) return;
        try
        {
            await StartLockedAsync(current with { RestartCount = current.RestartCount + 1 }, CancellationToken.None);
            Raise(current, "restart");
        }
        catch (LabException)
        {
            var failed = _store.Load(record.Machine, record.Id);
            if (failed is not null) _store.Save(failed with { State = failed.State with { Status = ContainerStatus.Exited } });
        }
    }

    private long ReadOomKills(ContainerRecord record)
    {
        try { return _machines.Cgroups.OomKills(record.CgroupName); }
        catch (Exception e) when (e is IOException or LabException or UnauthorizedAccessException) { return 0; }
    }

    private bool MachineRunning(string machine) => _machines.Find(machine)?.State == MachineState.Running;

    /// <summary>`docker stop`: the stop signal, then SIGKILL after <paramref name="timeout"/> (the container's
    /// StopTimeout, else 10 s). A stopped container stays stopped: its restart policy does not apply.</summary>
    public async Task StopAsync(string machine, string idOrName, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var record = Get(machine, idOrName);
        if (!_live.TryGetValue(Key(record), out var live)) return;
        await MarkStoppedByUserAsync(record, ct);
        if (record.State.Paused) _machines.Cgroups.Thaw(record.CgroupName);
        // dockerd logs each signal it sends as a "kill" event before the "die": `docker events` shows the same.
        int stopSignal = SignalNames.Parse(record.Config.StopSignal);
        Signals.Send(live.Pid, stopSignal);
        Raise(record, "kill", ("signal", stopSignal.ToString()));
        var grace = timeout ?? TimeSpan.FromSeconds(record.Spec.StopTimeout ?? 10);
        if (grace < TimeSpan.Zero || await Task.WhenAny(live.Exited.Task, Task.Delay(grace, ct)) != live.Exited.Task)
        {
            Signals.Send(live.Pid, Signals.SIGKILL);
            Raise(record, "kill", ("signal", Signals.SIGKILL.ToString()));
        }
        await live.Exited.Task.WaitAsync(ct);
        Raise(Get(machine, record.Id), "stop");
    }

    /// <summary>`docker kill`: any signal; Conflict when the container is not running, in dockerd's words.</summary>
    public async Task KillAsync(string machine, string idOrName, string signal = "SIGKILL", CancellationToken ct = default)
    {
        var record = Get(machine, idOrName);
        int number = SignalNames.Parse(signal);
        if (!_live.TryGetValue(Key(record), out var live) || record.State.Paused && number != Signals.SIGKILL)
            throw new LabException(ErrorKind.Conflict, $"Container {record.Id} is not running");
        if (number == Signals.SIGKILL) await MarkStoppedByUserAsync(record, ct);
        if (record.State.Paused) _machines.Cgroups.Thaw(record.CgroupName);
        Signals.Send(live.Pid, number);
        Raise(record, "kill", ("signal", number.ToString()));
    }

    public async Task RestartAsync(string machine, string idOrName, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        await StopAsync(machine, idOrName, timeout, ct);
        await StartAsync(machine, idOrName, ct);
        Raise(Get(machine, idOrName), "restart");
    }

    public async Task PauseAsync(string machine, string idOrName, CancellationToken ct = default)
    {
        var record = Get(machine, idOrName);
        using var _ = await LockAsync(Key(record), ct);
        record = Get(machine, record.Id);
        if (!record.State.Running) throw new LabException(ErrorKind.Conflict, $"Container {record.Id} is not running");
        if (record.State.Paused) throw new LabException(ErrorKind.Conflict, $"Container {record.Id} is already paused");
        _machines.Cgroups.Freeze(record.CgroupName);
        var paused = record with { State = record.State with { Status = ContainerStatus.Paused } };
        _store.Save(paused);
        Raise(paused, "pause");
    }

    public async Task UnpauseAsync(string machine, string idOrName, CancellationToken ct = default)
    {
        var record = Get(machine, idOrName);
        using var _ = await LockAsync(Key(record), ct);
        record = Get(machine, record.Id);
        if (!record.State.Paused) throw new LabException(ErrorKind.Conflict, $"Container {record.Id} is not paused");
        _machines.Cgroups.Thaw(record.CgroupName);
        var running = record with { State = record.State with { Status = ContainerStatus.Running } };
        _store.Save(running);
        Raise(running, "unpause");
    }

    private async Task MarkStoppedByUserAsync(ContainerRecord record, CancellationToken ct)
    {
        using var _ = await LockAsync(Key(record), ct);
        if (_store.Load(record.Machine, record.Id) is { } current) _store.Save(current with { StoppedByUser = true });
    }

    private async Task KillAndWaitAsync(ContainerRecord record, CancellationToken ct)
    {
        await MarkStoppedByUserAsync(record, ct);
        if (_live.TryGetValue(Key(record), out var live))
        {
            if (record.State.Paused) _machines.Cgroups.Thaw(record.CgroupName);
            Signals.Send(live.Pid, Signals.SIGKILL);
            Raise(record, "kill", ("signal", Signals.SIGKILL.ToString()));
            await live.Exited.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
        }
        else if (_store.Load(record.Machine, record.Id) is { State.Restarting: true } restarting)
            _store.Save(restarting with { State = restarting.State with { Status = ContainerStatus.Exited } });
    }

    /// <summary>`docker wait`: the exit code once the condition holds — "not-running" (now if it is not running),
    /// "next-exit", or "removed".</summary>
    public async Task<int> WaitAsync(string machine, string idOrName, string condition = "not-running",
        CancellationToken ct = default)
    {
        Interlocked.Increment(ref _pendingWaits);
        try
        {
            return await WaitForConditionAsync(machine, idOrName, condition, ct);
        }
        finally
        {
            Interlocked.Decrement(ref _pendingWaits);
        }
    }

    private int _pendingWaits;

    /// <summary>Waits in progress, all machines together: each one holds a caller until its container changes, so
    /// a wait whose caller is gone must end (the Engine cancels it when the client disconnects).</summary>
    public int PendingWaits => Volatile.Read(ref _pendingWaits);

    private async Task<int> WaitForConditionAsync(string machine, string idOrName, string condition, CancellationToken ct)
    {
        var record = Get(machine, idOrName);
        switch (condition)
        {
            case "" or "not-running":
                LiveContainer? live;
                // Under the container's lock an exit is either not yet seen (still live) or fully recorded.
                using (await LockAsync(Key(record), ct))
                    if (!_live.TryGetValue(Key(record), out live)) return Get(machine, record.Id).State.ExitCode;
                return await live.Exited.Task.WaitAsync(ct);
            case "next-exit":
                return await _nextExit.GetOrAdd(Key(record),
                    _ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(ct);
            case "removed":
                // `docker run --rm` waits for "removed" before it starts the container: its exit code is the one of
                // the exit that comes before the removal, not the one recorded when the wait began.
                var exit = _nextExit.GetOrAdd(Key(record),
                    _ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                await RemovedSignal(record).Task.WaitAsync(ct);
                return exit.IsCompletedSuccessfully ? exit.Result : record.State.ExitCode;
            default:
                throw new LabException(ErrorKind.InvalidParameter, $"invalid condition: \"{condition}\"");
        }
    }

    private TaskCompletionSource RemovedSignal(ContainerRecord record) =>
        _removed.GetOrAdd(Key(record), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    // A machine that stops takes its containers with it (their monitors die and report); records still marked
    // running without a monitor we know (from before a server restart) are closed here.
    private void OnMachineStopped(string machine)
    {
        _agents.Forget(machine);
        foreach (var record in _store.List(machine).Where(r => r.State.Running || r.State.Restarting))
            if (!_live.ContainsKey(Key(record)))
                _store.Save(record with
                {
                    State = record.State with { Status = ContainerStatus.Exited, Pid = 0, ExitCode = 137, FinishedAt = DateTimeOffset.UtcNow },
                    MonitorPid = null, MonitorStartTime = null,
                });
    }

    // dockerd at start: containers left running by a daemon that died are stopped (their stdio went with it), then
    // restart policies bring back those that should run.
    private async Task OnMachineStartedAsync(string machine)
    {
        foreach (var record in _store.List(machine))
        {
            if (_live.ContainsKey(Key(record))) continue;
            var current = record;
            if (record.State.Running || record.State.Restarting)
            {
                if (record.MonitorPid is int monitor && record.MonitorStartTime is long start && ProcStat.IsAlive(monitor, start))
                {
                    _machines.Cgroups.Destroy(record.CgroupName);
                    Signals.Send(monitor, Signals.SIGKILL);
                    Spawner.TryReap(monitor); // ours only if this process started it (a server restarted in-process)
                }
                current = record with
                {
                    State = record.State with { Status = ContainerStatus.Exited, Pid = 0, ExitCode = 137, FinishedAt = DateTimeOffset.UtcNow },
                    MonitorPid = null, MonitorStartTime = null,
                };
                _store.Save(current);
            }
            if (!current.Spec.RestartPolicy.RestartsOnBoot(current.StoppedByUser)) continue;
            try { await StartAsync(machine, current.Id); }
            catch (LabException) { } // State.Error says why; the machine itself is fine
        }
    }
}
