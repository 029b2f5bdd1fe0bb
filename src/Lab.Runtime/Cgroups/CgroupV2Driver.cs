using Lab.Runtime.Machines;

namespace Lab.Runtime.Cgroups;

/// <summary>cgroup v2 (unified hosts): one directory per machine, controllers enabled from the top down.</summary>
public sealed class CgroupV2Driver : ICgroupDriver
{
    // io carries no limit of ours, only the I/O counters of io.stat: a host without it still gets the quotas.
    private const string Controllers = "+memory +pids +cpu";
    private const string ControllersWithIo = Controllers + " +io";
    private readonly string _parent;

    /// <param name="mountPoint">A cgroup2 mount other than /sys/fs/cgroup (a test's private mount or fake tree).</param>
    /// <param name="ownCgroupPath">This process's cgroup inside that mount ("0::" of /proc/self/cgroup by default).</param>
    public CgroupV2Driver(string parentName, string? mountPoint = null, string? ownCgroupPath = null)
    {
        var mount = mountPoint is not null
            ? new CgroupMount(mountPoint, "/", "cgroup2", [])
            : CgroupMount.Read().FirstOrDefault(m => m.FsType == "cgroup2" && m.MountPoint == "/sys/fs/cgroup")
              ?? throw new LabException(ErrorKind.Unavailable, "no cgroup v2 hierarchy at /sys/fs/cgroup");
        var own = mount.OwnDirectory(ownCgroupPath ?? CgroupFiles.OwnPath(""));
        // A server restarted inside the leaf it moved itself to earlier keeps using the same tree.
        if (Path.GetFileName(own) == ServerLeaf) own = Path.GetDirectoryName(own)!;
        _parent = Path.Combine(own, parentName);
        Directory.CreateDirectory(_parent);
        EnableControllers(own, isRoot: own.TrimEnd('/') == mount.MountPoint.TrimEnd('/'));
    }

    private const string ServerLeaf = "lab-server";

    public string Version => "v2";

    public string ParentDirectory => _parent;

    /// <summary>How long Freeze and Thaw wait for the kernel to report the new state.</summary>
    public TimeSpan FreezeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    // "No internal processes": a cgroup that hands controllers to children may hold no process itself. The root
    // is exempt; when the server sits in a non-root cgroup (a container's namespace root, a systemd service),
    // it moves that cgroup's processes into a leaf first, as docker-in-docker entrypoints do. A controller the
    // host does not offer at all is not a reason to move anything: Create reports it.
    private void EnableControllers(string own, bool isRoot)
    {
        if (EnableIn(own) || isRoot)
        {
            EnableIn(_parent);
            return;
        }
        var available = File.ReadAllText(Path.Combine(own, "cgroup.controllers"));
        if (!available.Contains("memory")) return;
        var leaf = Path.Combine(own, ServerLeaf);
        Directory.CreateDirectory(leaf);
        foreach (var pid in CgroupFiles.Procs(own)) CgroupFiles.TryWrite(leaf, "cgroup.procs", pid.ToString());
        EnableIn(own);
        EnableIn(_parent);
    }

    // One write enables all or none of its controllers, so the optional io goes first, then the required set alone.
    private static bool EnableIn(string dir) =>
        CgroupFiles.TryWrite(dir, "cgroup.subtree_control", ControllersWithIo)
        || CgroupFiles.TryWrite(dir, "cgroup.subtree_control", Controllers);

    private string Dir(string machine) => Path.Combine(_parent, machine);

    public IReadOnlyList<string> Create(string machine, MachineLimits limits)
    {
        var dir = Dir(machine);
        Directory.CreateDirectory(dir);
        // Limits need their controller enabled above us; a host without one refuses clearly instead of
        // silently running a machine without its quota.
        RequireController(dir, "memory.max");
        RequireController(dir, "pids.max");
        RequireController(dir, "cpu.max");
        CgroupFiles.Write(dir, "memory.max", limits.MemoryBytes.ToString());
        CgroupFiles.TryWrite(dir, "memory.swap.max", "0");
        CgroupFiles.Write(dir, "pids.max", limits.Pids.ToString());
        const long period = 100_000;
        var quota = (long)(limits.Cpus * period);
        CgroupFiles.Write(dir, "cpu.max", $"{quota} {period}");
        if (IsContainer(machine)) return [dir]; // Docker's --cpus: no burst
        CgroupFiles.TryWrite(dir, "cpu.max.burst", CpuBurst.Of(quota).ToString());
        // A machine's cgroup hands controllers to its containers' cgroups, so by the "no internal processes" rule
        // its own processes live in a leaf beside them.
        if (!EnableIn(dir))
            throw new LabException(ErrorKind.Unavailable, $"cgroup v2: cannot enable controllers in {dir} for containers");
        var leaf = Path.Combine(dir, MachineLeaf);
        Directory.CreateDirectory(leaf);
        return [leaf];
    }

    private const string MachineLeaf = "machine";

    private static bool IsContainer(string path) => path.Contains('/');

    private string JoinDir(string machine) => IsContainer(machine) ? Dir(machine) : Path.Combine(Dir(machine), MachineLeaf);

    private static void RequireController(string dir, string file)
    {
        if (!File.Exists(Path.Combine(dir, file)))
            throw new LabException(ErrorKind.Unavailable,
                $"cgroup v2: {file} missing in {dir}: the controller is not delegated to this cgroup");
    }

    public IReadOnlyList<string> PathsOf(string machine) => Directory.Exists(JoinDir(machine)) ? [JoinDir(machine)] : [];

    public void Destroy(string machine)
    {
        var dir = Dir(machine);
        if (!Directory.Exists(dir)) return;
        // cgroup.kill (5.14+) kills the whole subtree atomically; older kernels get the kill loop.
        if (!CgroupFiles.TryWrite(dir, "cgroup.kill", "1"))
            foreach (var pid in CgroupFiles.ProcsRecursive(dir)) Native.Signals.Send(pid, Native.Signals.SIGKILL);
        for (int i = 0; i < 200 && CgroupFiles.ProcsRecursive(dir).Count > 0; i++) Thread.Sleep(10);
        CgroupFiles.RemoveDir(dir);
    }

    public long OomKills(string machine) => CgroupFiles.ReadKey(Dir(machine), "memory.events", "oom_kill");

    public CgroupStats ReadStats(string machine)
    {
        var dir = Dir(machine);
        var memory = CgroupFiles.ReadKeys(dir, "memory.stat");
        var cpu = CgroupFiles.ReadKeys(dir, "cpu.stat");
        var io = CgroupIoStat.ReadV2(dir);
        return new CgroupStats(
            MemoryBytes: CgroupFiles.ReadLong(dir, "memory.current"),
            MemoryLimitBytes: CgroupFiles.ReadLong(dir, "memory.max"),
            OomKills: CgroupFiles.ReadKey(dir, "memory.events", "oom_kill"),
            CpuUsageNanoseconds: cpu.GetValueOrDefault("usage_usec") * 1000,
            Pids: CgroupFiles.ReadLong(dir, "pids.current"),
            PidsLimitHits: CgroupFiles.ReadKey(dir, "pids.events", "max"))
        {
            MemoryAnonBytes = memory.GetValueOrDefault("anon"),
            MemoryFileBytes = memory.GetValueOrDefault("file"),
            // "kernel" sums every kernel use since 5.18; before, stacks and slabs are the bulk of it.
            MemoryKernelBytes = memory.TryGetValue("kernel", out var kernel)
                ? kernel
                : memory.GetValueOrDefault("kernel_stack") + memory.GetValueOrDefault("slab"),
            CpuUserNanoseconds = cpu.GetValueOrDefault("user_usec") * 1000,
            CpuSystemNanoseconds = cpu.GetValueOrDefault("system_usec") * 1000,
            CpuThrottledPeriods = cpu.GetValueOrDefault("nr_throttled"),
            PidsLimit = CgroupFiles.ReadLong(dir, "pids.max"),
            IoReadBytes = io.Read,
            IoWriteBytes = io.Write,
        };
    }

    // cgroup.freeze (5.2+) freezes the whole subtree; cgroup.events says when the last task has stopped.
    public void Freeze(string machine) => SetFrozen(machine, true);

    public void Thaw(string machine) => SetFrozen(machine, false);

    public bool IsFrozen(string machine) => Directory.Exists(Dir(machine)) && Frozen(Dir(machine));

    private static bool Frozen(string dir) => CgroupFiles.ReadKeys(dir, "cgroup.events").GetValueOrDefault("frozen") == 1;

    private void SetFrozen(string machine, bool frozen)
    {
        var dir = Dir(machine);
        if (!Directory.Exists(dir)) throw new LabException(ErrorKind.NotFound, $"no cgroup for machine '{machine}'");
        if (!File.Exists(Path.Combine(dir, "cgroup.freeze")))
            throw new LabException(ErrorKind.Unavailable, "cgroup v2: this kernel has no cgroup.freeze (5.2+ needed)");
        CgroupFiles.Write(dir, "cgroup.freeze", frozen ? "1" : "0");
        if (CgroupFiles.WaitUntil(() => Frozen(dir) == frozen, FreezeTimeout)) return;
        if (frozen) CgroupFiles.TryWrite(dir, "cgroup.freeze", "0"); // never leave a machine half frozen
        throw new LabException(ErrorKind.Unavailable,
            $"cgroup v2: {dir} was not {(frozen ? "frozen" : "thawed")} within {FreezeTimeout.TotalSeconds:0.#} s");
    }

    public IReadOnlyList<string> ListMachines() =>
        Directory.Exists(_parent)
            ? Directory.GetDirectories(_parent).Select(Path.GetFileName).OfType<string>().ToList()
            : [];


    public void RemoveParent() => CgroupFiles.RemoveDir(_parent);
}
