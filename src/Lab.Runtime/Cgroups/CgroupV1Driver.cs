using Lab.Runtime.Machines;

namespace Lab.Runtime.Cgroups;

/// <summary>cgroup v1 (legacy or hybrid hosts): one directory per controller hierarchy.</summary>
public sealed class CgroupV1Driver : ICgroupDriver
{
    private static readonly string[] Wanted = ["memory", "pids", "cpu", "cpuacct", "freezer", "blkio"];
    private readonly Dictionary<string, string> _parents = new(); // controller → <hierarchy>/<own cgroup>/<parent>

    public CgroupV1Driver(string parentName)
    {
        foreach (var mount in CgroupMount.Read().Where(m => m.FsType == "cgroup"))
            foreach (var controller in mount.Controllers.Intersect(Wanted))
                _parents[controller] = Path.Combine(mount.OwnDirectory(CgroupFiles.OwnPath(controller)), parentName);
        foreach (var required in new[] { "memory", "pids", "cpu" })
            if (!_parents.ContainsKey(required))
                throw new LabException(ErrorKind.Unavailable, $"cgroup v1 controller '{required}' is not mounted");
    }

    public string Version => "v1";

    /// <summary>How long Freeze and Thaw wait for the kernel to report the new state.</summary>
    public TimeSpan FreezeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    private IEnumerable<string> Directories(string machine) =>
        _parents.Values.Distinct().Select(p => Path.Combine(p, machine));

    private string Dir(string controller, string machine) => Path.Combine(_parents[controller], machine);

    public IReadOnlyList<string> Create(string machine, MachineLimits limits)
    {
        foreach (var dir in Directories(machine)) Directory.CreateDirectory(dir);
        var memory = Dir("memory", machine);
        CgroupFiles.Write(memory, "memory.limit_in_bytes", limits.MemoryBytes.ToString());
        // No swap: memsw exists only when the kernel accounts swap; swappiness 0 covers the rest.
        if (File.Exists(Path.Combine(memory, "memory.memsw.limit_in_bytes")))
            CgroupFiles.Write(memory, "memory.memsw.limit_in_bytes", limits.MemoryBytes.ToString());
        CgroupFiles.TryWrite(memory, "memory.swappiness", "0");
        CgroupFiles.Write(Dir("pids", machine), "pids.max", limits.Pids.ToString());
        const long period = 100_000;
        var cpu = Dir("cpu", machine);
        CgroupFiles.Write(cpu, "cpu.cfs_period_us", period.ToString());
        var quota = (long)(limits.Cpus * period);
        CgroupFiles.Write(cpu, "cpu.cfs_quota_us", quota.ToString());
        // See CpuBurst: a machine's idle time pays for a command's start-up burst; a container keeps Docker's --cpus.
        if (!IsContainer(machine)) CgroupFiles.TryWrite(cpu, "cpu.cfs_burst_us", CpuBurst.Of(quota).ToString());
        if (_parents.ContainsKey("blkio")) CgroupIoStat.EnableV1Accounting(Dir("blkio", machine), attachedOnly: IsContainer(machine));
        return Directories(machine).ToList();
    }

    // "MACHINE/CONTAINER": a container's cgroup, created while its machine runs.
    private static bool IsContainer(string name) => name.Contains('/');

    public IReadOnlyList<string> PathsOf(string machine) =>
        Directories(machine).Where(Directory.Exists).ToList();

    public void Destroy(string machine)
    {
        // Most cgroups are empty when destroyed (a container that exited, a start cleaning up after nothing), and
        // a v1 freezer state change costs this kernel 5-9 ms each way: an empty cgroup is removed straight away.
        // Only the platform's helpers join a cgroup; one that joins meanwhile makes rmdir fail (EBUSY), and the
        // freeze-and-kill path below runs as before.
        // Starting a container destroys first what a crash may have left, and there is nothing, mostly: one stat per
        // hierarchy instead of the exceptions of reading and removing what does not exist.
        if (!Directories(machine).Any(Directory.Exists)) return;
        if (Directories(machine).All(dir => CgroupFiles.ProcsRecursive(dir).Count == 0) && TryRemove(machine)) return;
        var freezer = _parents.ContainsKey("freezer") ? Dir("freezer", machine) : null;
        // Freeze first so a fork bomb cannot outrun the kill loop, then kill, then thaw so SIGKILL is delivered.
        if (freezer is not null && Directory.Exists(freezer)) CgroupFiles.TryWrite(freezer, "freezer.state", "FROZEN");
        for (int round = 0; round < 200; round++)
        {
            // Every hierarchy: a helper caught between joining one controller and the next is in some only.
            var procs = Directories(machine).SelectMany(CgroupFiles.ProcsRecursive).Distinct().ToList();
            if (procs.Count == 0) break;
            foreach (var pid in procs) Native.Signals.Send(pid, Native.Signals.SIGKILL);
            if (freezer is not null) CgroupFiles.TryWrite(freezer, "freezer.state", "THAWED");
            Thread.Sleep(10);
        }
        // Never leave a frozen cgroup behind: a process joining it right now would hang there.
        if (freezer is not null && Directory.Exists(freezer)) CgroupFiles.TryWrite(freezer, "freezer.state", "THAWED");
        foreach (var dir in Directories(machine)) CgroupFiles.RemoveDir(dir);
    }

    private bool TryRemove(string machine)
    {
        foreach (var dir in Directories(machine))
            if (!CgroupFiles.TryRemoveDir(dir)) return false;
        return true;
    }

    public long OomKills(string machine) => CgroupFiles.ReadKey(Dir("memory", machine), "memory.oom_control", "oom_kill");

    public CgroupStats ReadStats(string machine)
    {
        var memory = Dir("memory", machine);
        var pids = Dir("pids", machine);
        var cpuacct = _parents.ContainsKey("cpuacct") ? Dir("cpuacct", machine) : Dir("cpu", machine);
        // total_* are the hierarchical sums: the machine and its nested containers, like v2's memory.stat.
        var memoryStat = CgroupFiles.ReadKeys(memory, "memory.stat");
        var io = _parents.ContainsKey("blkio") ? CgroupIoStat.ReadV1(Dir("blkio", machine)) : (Read: 0, Write: 0);
        return new CgroupStats(
            MemoryBytes: CgroupFiles.ReadLong(memory, "memory.usage_in_bytes"),
            MemoryLimitBytes: CgroupFiles.ReadLong(memory, "memory.limit_in_bytes"),
            OomKills: CgroupFiles.ReadKey(memory, "memory.oom_control", "oom_kill"),
            CpuUsageNanoseconds: CgroupFiles.ReadLong(cpuacct, "cpuacct.usage"),
            Pids: CgroupFiles.ReadLong(pids, "pids.current"),
            PidsLimitHits: CgroupFiles.ReadKey(pids, "pids.events", "max"))
        {
            MemoryAnonBytes = memoryStat.GetValueOrDefault("total_rss"),
            MemoryFileBytes = memoryStat.GetValueOrDefault("total_cache"),
            MemoryKernelBytes = CgroupFiles.ReadLong(memory, "memory.kmem.usage_in_bytes"),
            CpuUserNanoseconds = CgroupFiles.ReadLong(cpuacct, "cpuacct.usage_user"),
            CpuSystemNanoseconds = CgroupFiles.ReadLong(cpuacct, "cpuacct.usage_sys"),
            CpuThrottledPeriods = CgroupFiles.ReadKey(Dir("cpu", machine), "cpu.stat", "nr_throttled"),
            PidsLimit = CgroupFiles.ReadLong(pids, "pids.max"),
            IoReadBytes = io.Read,
            IoWriteBytes = io.Write,
        };
    }

    public void Freeze(string machine) => SetState(machine, "FROZEN");

    public void Thaw(string machine) => SetState(machine, "THAWED");

    public bool IsFrozen(string machine) =>
        _parents.ContainsKey("freezer") && CgroupFiles.ReadText(Dir("freezer", machine), "freezer.state") == "FROZEN";

    // A v1 cgroup can hang in FREEZING while a task sits in a sleep the freezer cannot interrupt; writing FROZEN
    // again retries those tasks, as runc does, until the kernel reports the whole cgroup FROZEN.
    private void SetState(string machine, string state)
    {
        if (!_parents.ContainsKey("freezer"))
            throw new LabException(ErrorKind.Unavailable, "cgroup v1 controller 'freezer' is not mounted");
        var dir = Dir("freezer", machine);
        if (!Directory.Exists(dir)) throw new LabException(ErrorKind.NotFound, $"no cgroup for machine '{machine}'");
        bool reached = CgroupFiles.WaitUntil(() =>
        {
            CgroupFiles.Write(dir, "freezer.state", state);
            return CgroupFiles.ReadText(dir, "freezer.state") == state;
        }, FreezeTimeout);
        if (reached) return;
        if (state == "FROZEN") CgroupFiles.TryWrite(dir, "freezer.state", "THAWED"); // never leave it half frozen
        throw new LabException(ErrorKind.Unavailable,
            $"cgroup v1: {dir} did not reach {state} within {FreezeTimeout.TotalSeconds:0.#} s");
    }

    public IReadOnlyList<string> ListMachines()
    {
        var parent = _parents["pids"];
        return Directory.Exists(parent)
            ? Directory.GetDirectories(parent).Select(Path.GetFileName).OfType<string>().ToList()
            : [];
    }

    public void RemoveParent()
    {
        foreach (var parent in _parents.Values.Distinct()) CgroupFiles.RemoveDir(parent);
    }
}
