using Lab.Runtime.Machines;

namespace Lab.Runtime.Cgroups;

/// <summary>cgroup v2 (unified hosts): one directory per machine, controllers enabled from the top down.</summary>
public sealed class CgroupV2Driver : ICgroupDriver
{
    private const string Controllers = "+memory +pids +cpu";
    private readonly string _parent;

    public CgroupV2Driver(string parentName, string? mountPoint = null)
    {
        var mount = mountPoint is not null
            ? new CgroupMount(mountPoint, "/", "cgroup2", [])
            : CgroupMount.Read().FirstOrDefault(m => m.FsType == "cgroup2" && m.MountPoint == "/sys/fs/cgroup")
              ?? throw new LabException(ErrorKind.Unavailable, "no cgroup v2 hierarchy at /sys/fs/cgroup");
        var own = mount.OwnDirectory(CgroupFiles.OwnPath(""));
        // A server restarted inside the leaf it moved itself to earlier keeps using the same tree.
        if (Path.GetFileName(own) == ServerLeaf) own = Path.GetDirectoryName(own)!;
        _parent = Path.Combine(own, parentName);
        Directory.CreateDirectory(_parent);
        EnableControllers(own, isRoot: own.TrimEnd('/') == mount.MountPoint.TrimEnd('/'));
    }

    private const string ServerLeaf = "lab-server";

    public string Version => "v2";

    public string ParentDirectory => _parent;

    // "No internal processes": a cgroup that hands controllers to children may hold no process itself. The root
    // is exempt; when the server sits in a non-root cgroup (a container's namespace root, a systemd service),
    // it moves that cgroup's processes into a leaf first, as docker-in-docker entrypoints do. A controller the
    // host does not offer at all is not a reason to move anything: Create reports it.
    private void EnableControllers(string own, bool isRoot)
    {
        if (CgroupFiles.TryWrite(own, "cgroup.subtree_control", Controllers) || isRoot)
        {
            CgroupFiles.TryWrite(_parent, "cgroup.subtree_control", Controllers);
            return;
        }
        var available = File.ReadAllText(Path.Combine(own, "cgroup.controllers"));
        if (!available.Contains("memory")) return;
        var leaf = Path.Combine(own, ServerLeaf);
        Directory.CreateDirectory(leaf);
        foreach (var pid in CgroupFiles.Procs(own)) CgroupFiles.TryWrite(leaf, "cgroup.procs", pid.ToString());
        CgroupFiles.TryWrite(own, "cgroup.subtree_control", Controllers);
        CgroupFiles.TryWrite(_parent, "cgroup.subtree_control", Controllers);
    }

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
        CgroupFiles.Write(dir, "cpu.max", $"{(long)(limits.Cpus * period)} {period}");
        return [dir];
    }

    private static void RequireController(string dir, string file)
    {
        if (!File.Exists(Path.Combine(dir, file)))
            throw new LabException(ErrorKind.Unavailable,
                $"cgroup v2: {file} missing in {dir}: the controller is not delegated to this cgroup");
    }

    public IReadOnlyList<string> PathsOf(string machine) => Directory.Exists(Dir(machine)) ? [Dir(machine)] : [];

    public void Destroy(string machine)
    {
        var dir = Dir(machine);
        if (!Directory.Exists(dir)) return;
        // cgroup.kill (5.14+) kills the whole subtree atomically; older kernels get the kill loop.
        if (!CgroupFiles.TryWrite(dir, "cgroup.kill", "1"))
            foreach (var pid in CgroupFiles.Procs(dir)) Native.Signals.Send(pid, Native.Signals.SIGKILL);
        for (int i = 0; i < 200 && CgroupFiles.Procs(dir).Count > 0; i++) Thread.Sleep(10);
        CgroupFiles.RemoveDir(dir);
    }

    public CgroupStats ReadStats(string machine)
    {
        var dir = Dir(machine);
        return new CgroupStats(
            MemoryBytes: CgroupFiles.ReadLong(dir, "memory.current"),
            MemoryLimitBytes: CgroupFiles.ReadLong(dir, "memory.max"),
            OomKills: CgroupFiles.ReadKey(dir, "memory.events", "oom_kill"),
            CpuUsageNanoseconds: CgroupFiles.ReadKey(dir, "cpu.stat", "usage_usec") * 1000,
            Pids: CgroupFiles.ReadLong(dir, "pids.current"),
            PidsLimitHits: CgroupFiles.ReadKey(dir, "pids.events", "max"));
    }

    public IReadOnlyList<string> ListMachines() =>
        Directory.Exists(_parent)
            ? Directory.GetDirectories(_parent).Select(Path.GetFileName).OfType<string>().ToList()
            : [];

    public void RemoveParent() => CgroupFiles.RemoveDir(_parent);
}
