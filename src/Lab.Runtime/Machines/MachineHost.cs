using System.Collections.Concurrent;
using Lab.Runtime.Cgroups;
using Lab.Runtime.Images;
using Lab.Runtime.Native;
using Lab.Runtime.Terminals;

namespace Lab.Runtime.Machines;

/// <summary>Lab machines on this host. Machines outlive the server (their init is not our child); state on
/// disk lets a restarted server adopt the live ones and clean up the dead ones.</summary>
public sealed class MachineHost : IMachineHost, IDisposable
{
    private readonly MachineStore _store;
    private readonly InitHelper _helper;
    private readonly ICgroupDriver _cgroups;
    private readonly EventLoop _loop = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<string, LiveMachine> _live = new();

    public MachineHost(RuntimeOptions options, IBaseImage image, ICgroupDriver? cgroups = null)
    {
        Options = options;
        Image = image;
        _store = new MachineStore(options.MachinesDir);
        _helper = new InitHelper(options.ResolveInitHelper());
        _cgroups = cgroups ?? CgroupDriver.Detect(options.CgroupParent);
        Subreaper.Become(); // containers' PID 1s are cloned as our children (CLONE_PARENT) by the machine's lab-init agent
        _strays = new Timer(_ => Subreaper.ReapStrays(), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
    }

    // A zombie still counts in its machine's pids: orphans handed to us are reaped within seconds, not at stop.
    private readonly Timer _strays;

    /// <summary>A machine came up (after StartAsync, or adopted by RecoverAsync).</summary>
    public event Action<string>? Started;

    /// <summary>A machine went down, stopped or dead; everything that ran in it is gone.</summary>
    public event Action<string>? Stopped;

    internal InitHelper Helper => _helper;
    internal EventLoop Loop => _loop;

    /// <summary>A TCP connection made from inside a running machine's network namespace, as a program in the machine
    /// would make it (127.0.0.1:8080 is the machine's own published port; 172.17.0.2 a container on its bridge). The
    /// host's network is never involved: this is how the web preview and HTTP checks reach a student's apps.</summary>
    public async Task<System.Net.Sockets.Socket> ConnectAsync(string name, string host, int port, CancellationToken ct = default)
    {
        int pid = RequireRunning(name).InitPid;
        var socket = NetNamespace.Run(pid, () => new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork,
            System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp));
        try
        {
            await socket.ConnectAsync(System.Net.IPAddress.Parse(host), port, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The pid (host numbering) of a running machine's init.</summary>
    internal int InitPidOf(string name) => RequireRunning(name).InitPid;

    public RuntimeOptions Options { get; }
    public IBaseImage Image { get; }
    public ICgroupDriver Cgroups => _cgroups;

    /// <summary>After a restart (even kill -9): adopt machines whose init still runs, clean up the others, and
    /// remove cgroups no machine owns.</summary>
    public Task RecoverAsync(CancellationToken ct = default)
    {
        var known = _store.Names().ToHashSet();
        foreach (var name in known)
        {
            var record = _store.Load(name)!;
            if (record.InitPid is int pid && record.InitStartTime is long start && ProcStat.IsAlive(pid, start))
                Adopt(record);
            else
                MarkStopped(record);
        }
        foreach (var orphan in _cgroups.ListMachines().Where(n => !known.Contains(n)))
            _cgroups.Destroy(orphan);
        return Task.CompletedTask;
    }

    public IReadOnlyList<MachineInfo> List() => _store.Names().Select(n => Info(_store.Load(n)!)).ToList();

    public MachineInfo? Find(string name) =>
        MachineName.IsValid(name) && _store.Load(name) is { } record ? Info(record) : null;

    public CgroupStats Stats(string name) => _cgroups.ReadStats(MachineName.Validate(name));

    public async Task<MachineInfo> StartAsync(string name, MachineLimits? limits = null,
        IProgress<string>? progress = null, CancellationToken ct = default)
    {
        MachineName.Validate(name);
        if (limits is not null) MachineDisk.Validate(limits);
        using var _ = await LockAsync(name, ct);
        var record = _store.Load(name) ?? new MachineRecord
        {
            Name = name, CreatedAt = DateTimeOffset.UtcNow, Limits = limits ?? MachineLimits.Default,
        };
        if (_live.TryGetValue(name, out var current))
        {
            if (!current.Claimed)
                return limits is null || limits == record.Limits
                    ? Info(record)
                    : throw new LabException(ErrorKind.Conflict, $"machine '{name}' is running with other limits; stop it to change them");
            await current.Exited.Task.WaitAsync(ct); // it just died and is being cleaned up: then boot it again
        }
        if (limits is not null) record = record with { Limits = limits.Validate() };

        var lower = await Image.EnsureBuiltAsync(progress, ct);
        var dir = _store.DirectoryOf(name);
        var rootfs = Path.Combine(dir, "rootfs");
        Directory.CreateDirectory(rootfs);
        var disk = new MachineDisk(dir);
        await disk.PrepareAsync(record.Limits.DiskBytes, ct); // on failure the state on disk is left as it was

        _cgroups.Destroy(name); // a leftover from a crash must not keep old limits or processes
        var cgroupDirs = _cgroups.Create(name, record.Limits);
        try
        {
            int initPid;
            // Our hold on the loop device ends once the helper has mounted it (or failed to).
            using (var loop = disk.Attach())
                initPid = await BootAsync(name, lower, disk, loop.Path, rootfs, cgroupDirs, ct);
            record = record with { InitPid = initPid, InitStartTime = ProcStat.StartTime(initPid), LowerDir = lower };
            _store.Save(record);
            Adopt(record);
            return Info(record);
        }
        catch
        {
            _cgroups.Destroy(name);
            _store.Save(record with { InitPid = null, InitStartTime = null }); // known, stopped, retryable
            throw;
        }
    }

    private async Task<int> BootAsync(string name, string lower, MachineDisk disk, string diskDevice, string rootfs,
        IReadOnlyList<string> cgroupDirs, CancellationToken ct)
    {
        var (statusRead, statusWrite) = FileDescriptor.Pipe();
        using (statusRead)
        {
            int helperPid;
            using (statusWrite)
                helperPid = Spawner.Spawn(_helper.Path,
                    _helper.BootArgs(name, lower, disk.UpperDir, disk.WorkDir, rootfs, cgroupDirs,
                        (diskDevice, disk.MountDir), [$"{EngineDir()}:/run/lab-engine:ro"]), BaseEnvironment(name),
                    [(InitHelper.StatusFd, statusWrite), (InitHelper.SeccompFd, _helper.Seccomp)]);
            var status = await InitHelper.ReadStatusAsync(statusRead, ct);
            await Task.Run(() => Spawner.Wait(helperPid), CancellationToken.None);
            if (status.Pid is not int pid)
                throw new LabException(ErrorKind.Unavailable,
                    $"machine '{name}' failed to start: {status.Error ?? "the init helper reported nothing"}");
            return pid;
        }
    }

    private string EngineDir()
    {
        Directory.CreateDirectory(Options.EngineDir);
        return Options.EngineDir;
    }

    private void Adopt(MachineRecord record)
    {
        var live = new LiveMachine(record.InitPid!.Value, record.LowerDir);
        _live[record.Name] = live;
        // The init is not our child: its pidfd tells us when the machine dies, whoever killed it.
        bool watching = ProcessWatch.Watch(_loop, live.InitPid, isChild: false, _ => OnInitExited(record.Name, live));
        if (!watching) OnInitExited(record.Name, live);
        else Started?.Invoke(record.Name);
    }

    // Cleaned up before it shows as stopped (and before StopAsync's wait ends): whoever sees a machine stopped
    // finds its cgroups gone. The cleanup runs once, here or in StopAsync, whichever claims the machine first.
    private void OnInitExited(string name, LiveMachine live)
    {
        if (live.Claim()) OnMachineDied(name, live);
        live.Exited.TrySetResult();
        _live.TryRemove(new KeyValuePair<string, LiveMachine>(name, live));
    }

    private void OnMachineDied(string name, LiveMachine live)
    {
        live.Terminal?.Close();
        if (_store.Load(name) is { } record && record.InitPid == live.InitPid) MarkStopped(record);
    }

    private void MarkStopped(MachineRecord record)
    {
        _cgroups.Destroy(record.Name);
        _store.Save(record with { InitPid = null, InitStartTime = null });
        Stopped?.Invoke(record.Name);
    }

    public async Task StopAsync(string name, CancellationToken ct = default)
    {
        var record = Require(name);
        using var _ = await LockAsync(name, ct);
        if (_live.TryRemove(name, out var live))
        {
            live.Claim(); // if the machine died by itself meanwhile, Exited is set once that cleanup is done
            live.Terminal?.Close();
            // SIGKILL to a pid namespace's init kills every process in it; the cgroup sweep catches helpers
            // that were between join and setns.
            Signals.Send(live.InitPid, Signals.SIGKILL);
            await WaitForExitAsync(live, ct);
        }
        MarkStopped(record);
        // Stopped means nothing of the machine is left on the host: its disk's mount and loop device included.
        await new MachineDisk(_store.DirectoryOf(name)).WaitReleasedAsync(ct);
    }

    // The init finishes dying only once every process of its namespace is reaped, some of which may be ours.
    private static async Task WaitForExitAsync(LiveMachine live, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!live.Exited.Task.IsCompleted)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"machine init {live.InitPid} did not exit within 10 s");
            Subreaper.ReapStrays();
            await Task.WhenAny(live.Exited.Task, Task.Delay(50, ct));
        }
    }

    public async Task RemoveAsync(string name, CancellationToken ct = default)
    {
        await StopAsync(name, ct);
        using var _ = await LockAsync(name, ct);
        _store.Delete(name);
    }

    public async Task<int> ExecAsync(string name, IReadOnlyList<string> argv, Stream stdout, Stream stderr,
        CancellationToken ct = default)
    {
        if (argv.Count == 0) throw new LabException(ErrorKind.InvalidParameter, "exec needs a command");
        var live = RequireRunning(name);
        using var devNull = FileDescriptor.OpenDevNull();
        var (outRead, outWrite) = FileDescriptor.Pipe();
        var (errRead, errWrite) = FileDescriptor.Pipe();
        var (statusRead, statusWrite) = FileDescriptor.Pipe();
        using var status = statusRead;
        var output = new PipeOutput(_loop, outRead, errRead);
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        int pid;
        using (outWrite) using (errWrite) using (statusWrite)
        {
            pid = Spawner.Spawn(_helper.Path,
                _helper.ExecArgs(live.InitPid, _cgroups.PathsOf(name), ShellEnvironment(name), "/root", tty: false, argv),
                BaseEnvironment(name),
                [(0, devNull), (1, outWrite), (2, errWrite), (InitHelper.StatusFd, statusWrite),
                 (InitHelper.SeccompFd, _helper.Seccomp)]);
        }
        if (!ProcessWatch.Watch(_loop, pid, isChild: true, code => exited.TrySetResult(code ?? 125)))
            exited.TrySetResult(Spawner.Wait(pid));
        using var cancel = ct.Register(() => Signals.Send(pid, Signals.SIGKILL));
        var report = await InitHelper.ReadStatusAsync(status, CancellationToken.None);
        var copy = output.CopyToAsync(stdout, stderr, CancellationToken.None);
        int code = await exited.Task;
        output.Finish();
        await copy;
        if (report.Error is not null)
            throw new LabException(ErrorKind.Unavailable, $"exec in machine '{name}' failed: {report.Error}");
        ct.ThrowIfCancellationRequested();
        return code;
    }

    public async Task<TerminalSession> OpenTerminalAsync(string name, CancellationToken ct = default)
    {
        var live = RequireRunning(name);
        await live.TerminalLock.WaitAsync(ct);
        try
        {
            if (live.Terminal is { HasExited: false } existing) return existing;
            var session = await StartShellAsync(name, live, ct);
            live.Terminal = session;
            return session;
        }
        finally
        {
            live.TerminalLock.Release();
        }
    }

    private async Task<TerminalSession> StartShellAsync(string name, LiveMachine live, CancellationToken ct)
    {
        using var devNull = FileDescriptor.OpenDevNull();
        var (consoleOurs, consoleTheirs) = FileDescriptor.SocketPair();
        var (statusRead, statusWrite) = FileDescriptor.Pipe();
        using var console = consoleOurs;
        using var status = statusRead;
        int pid;
        using (consoleTheirs) using (statusWrite)
        {
            pid = Spawner.Spawn(_helper.Path,
                _helper.ExecArgs(live.InitPid, _cgroups.PathsOf(name), ShellEnvironment(name), "/root", tty: true,
                    LoginShell(live.LowerDir)),
                BaseEnvironment(name),
                [(0, devNull), (1, devNull), (2, devNull), (InitHelper.StatusFd, statusWrite),
                 (InitHelper.ConsoleFd, consoleTheirs), (InitHelper.SeccompFd, _helper.Seccomp)]);
        }
        var receive = Task.Run(() => Pty.ReceiveFd(console), CancellationToken.None);
        var report = await InitHelper.ReadStatusAsync(status, ct);
        if (report.Error is not null)
        {
            await Task.Run(() => Spawner.Wait(pid), CancellationToken.None);
            throw new LabException(ErrorKind.Unavailable, $"terminal in machine '{name}' failed: {report.Error}");
        }
        var master = await receive;
        // The loop may read the shell's first bytes before the session exists: they wait in `early`.
        TerminalSession? session = null;
        var early = new List<byte[]>();
        var pty = new PtyEndpoint(_loop, master, data =>
        {
            lock (early)
            {
                if (session is null) { early.Add(data.ToArray()); return; }
            }
            session.OnOutput(data);
        });
        lock (early)
        {
            session = new TerminalSession(name, pty);
            foreach (var data in early) session.OnOutput(data);
        }
        if (!ProcessWatch.Watch(_loop, pid, isChild: true, code => { session.OnExit(code ?? 0); pty.Close(); }))
        {
            session.OnExit(Spawner.Wait(pid));
            pty.Close();
        }
        return session;
    }

    // bash when the image has it (Debian's /bin is a relative symlink to usr/bin, so this resolves inside the
    // layer), busybox's sh otherwise.
    private static IReadOnlyList<string> LoginShell(string? lowerDir) =>
        lowerDir is not null && File.Exists(Path.Combine(lowerDir, "bin/bash"))
            ? ["/bin/bash", "--login"]
            : ["/bin/sh", "-l"];

    private static IReadOnlyList<string> BaseEnvironment(string name) =>
        ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LAB_MACHINE=" + name];

    private static IReadOnlyList<string> ShellEnvironment(string name) =>
    [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "USER=root",
        "LOGNAME=root", "SHELL=/bin/bash", "TERM=xterm-256color", "LANG=C.UTF-8", "HOSTNAME=" + name,
    ];

    private MachineRecord Require(string name) =>
        _store.Load(MachineName.Validate(name))
        ?? throw new LabException(ErrorKind.NotFound, $"no such machine: {name}");

    private LiveMachine RequireRunning(string name)
    {
        Require(name);
        return _live.TryGetValue(name, out var live)
            ? live
            : throw new LabException(ErrorKind.Conflict, $"machine '{name}' is not running; start it first");
    }

    private MachineInfo Info(MachineRecord r) => _live.TryGetValue(r.Name, out var live)
        ? new MachineInfo(r.Name, MachineState.Running, live.InitPid, r.Limits, r.CreatedAt)
        : new MachineInfo(r.Name, MachineState.Stopped, null, r.Limits, r.CreatedAt);

    private async Task<IDisposable> LockAsync(string name, CancellationToken ct)
    {
        var gate = _locks.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Releaser(gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }

    /// <summary>Terminals are closed (their shells get SIGHUP); machines keep running for the next server.</summary>
    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return; // registered twice in DI (MachineHost, IMachineHost)
        _strays.Dispose();
        foreach (var live in _live.Values) live.Terminal?.Close();
        _loop.Dispose();
    }

    private sealed class LiveMachine(int initPid, string? lowerDir)
    {
        public int InitPid { get; } = initPid;
        public string? LowerDir { get; } = lowerDir;
        public SemaphoreSlim TerminalLock { get; } = new(1, 1);
        public TerminalSession? Terminal { get; set; }
        public TaskCompletionSource Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private int _claimed;

        /// <summary>True for the first caller only: the one that cleans up after the machine.</summary>
        public bool Claim() => Interlocked.Exchange(ref _claimed, 1) == 0;

        public bool Claimed => Volatile.Read(ref _claimed) == 1;
    }
}
