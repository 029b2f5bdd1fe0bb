using Lab.Runtime.Cgroups;

namespace Lab.Runtime.Tests.Cgroups;

/// <summary>A cgroup2 hierarchy made of plain files in a temp dir, to see exactly what the v2 driver writes and
/// how it parses what the kernel would show. The kernel creates a cgroup's interface files on mkdir; here
/// <see cref="AddMachine"/> does it, with only the files of the controllers the test says are delegated.</summary>
internal sealed class FakeCgroup2Tree : IDisposable
{
    public const string Parent = "lab";

    public string Root { get; } = Directory.CreateTempSubdirectory($"{StaleTestState.OwnPrefix}cg2-").FullName;

    public FakeCgroup2Tree()
    {
        Write("", "cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc");
        Write("", "cgroup.subtree_control", "");
    }

    public CgroupV2Driver Driver(TimeSpan? freezeTimeout = null) =>
        new(Parent, Root, ownCgroupPath: "/") { FreezeTimeout = freezeTimeout ?? TimeSpan.FromSeconds(10) };

    public static readonly string[] LimitFiles = ["memory.max", "memory.swap.max", "pids.max", "cpu.max"];

    /// <summary>A machine's files on a kernel with CFS burst (5.14+).</summary>
    public static readonly string[] MachineFiles = [.. LimitFiles, "cpu.max.burst"];

    /// <summary>The machine's directory as the kernel would make it under the driver's parent.</summary>
    public string AddMachine(string machine, params string[] controllerFiles)
    {
        var relative = Path.Combine(Parent, machine);
        Directory.CreateDirectory(Path.Combine(Root, relative));
        foreach (var file in controllerFiles) Write(relative, file, "max");
        Write(relative, "cgroup.procs", "");
        Write(relative, "cgroup.freeze", "0");
        Write(relative, "cgroup.events", "populated 1\nfrozen 0\n");
        return relative;
    }

    public void Write(string relative, string file, string text) =>
        File.WriteAllText(Path.Combine(Root, relative, file), text);

    public string Read(string relative, string file) => File.ReadAllText(Path.Combine(Root, relative, file));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
