using Lab.Runtime.Machines;

namespace Lab.Runtime.Tests.Cgroups;

/// <summary>The v2 driver's file protocol, over a fake tree of plain files: what it writes, what it parses.</summary>
public class CgroupV2DriverFileTests : IDisposable
{
    private readonly FakeCgroup2Tree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void The_driver_delegates_memory_pids_cpu_and_io_down_to_its_machines()
    {
        _tree.Driver();
        Assert.Equal("+memory +pids +cpu +io", _tree.Read("", "cgroup.subtree_control"));
        Assert.Equal("+memory +pids +cpu +io", _tree.Read(FakeCgroup2Tree.Parent, "cgroup.subtree_control"));
    }

    [Fact]
    public void Create_writes_each_limit_in_the_kernels_format_with_no_swap()
    {
        var driver = _tree.Driver();
        var dir = _tree.AddMachine("m1", FakeCgroup2Tree.MachineFiles);

        var joined = driver.Create("m1", new MachineLimits { MemoryBytes = 64 << 20, Pids = 10, Cpus = 0.5 });

        // The machine's processes go to a leaf: its own cgroup hands the controllers on to its containers'.
        Assert.Equal([Path.Combine(_tree.Root, dir, "machine")], joined);
        Assert.Contains("+memory +pids +cpu", _tree.Read(dir, "cgroup.subtree_control"));
        Assert.Equal("67108864", _tree.Read(dir, "memory.max"));
        Assert.Equal("0", _tree.Read(dir, "memory.swap.max"));
        Assert.Equal("10", _tree.Read(dir, "pids.max"));
        Assert.Equal("50000 100000", _tree.Read(dir, "cpu.max"));
        Assert.Equal("50000", _tree.Read(dir, "cpu.max.burst"));
    }

    [Fact]
    public void A_containers_cgroup_is_below_its_machines_and_is_joined_directly()
    {
        var driver = _tree.Driver();
        _tree.AddMachine("m1", FakeCgroup2Tree.LimitFiles);
        driver.Create("m1", new MachineLimits());
        var container = _tree.AddMachine("m1/c1", FakeCgroup2Tree.LimitFiles);

        var joined = driver.Create("m1/c1", new MachineLimits { Pids = 20 });

        Assert.Equal([Path.Combine(_tree.Root, container)], joined);
        Assert.Equal("20", _tree.Read(container, "pids.max"));
        Assert.False(File.Exists(Path.Combine(_tree.Root, container, "cpu.max.burst")), "a container got a burst: Docker's --cpus has none");
        Assert.Equal([Path.Combine(_tree.Root, container)], driver.PathsOf("m1/c1"));
    }

    [Fact]
    public void Create_gives_one_and_a_half_cpus_one_and_a_half_periods()
    {
        var dir = _tree.AddMachine("m1", FakeCgroup2Tree.LimitFiles);
        _tree.Driver().Create("m1", new MachineLimits { Cpus = 1.5 });
        Assert.Equal("150000 100000", _tree.Read(dir, "cpu.max"));
    }

    [Fact]
    public void Create_refuses_a_machine_whose_cpu_controller_is_not_delegated()
    {
        _tree.AddMachine("m1", "memory.max", "memory.swap.max", "pids.max");
        var ex = Assert.Throws<LabException>(() => _tree.Driver().Create("m1", MachineLimits.Default));
        Assert.Equal(ErrorKind.Unavailable, ex.Kind);
        Assert.Contains("cpu.max", ex.Message);
    }

    [Fact]
    public void Stats_come_from_memory_cpu_io_and_pids_files()
    {
        var dir = _tree.AddMachine("m1", FakeCgroup2Tree.LimitFiles);
        _tree.Write(dir, "memory.current", "123456789\n");
        _tree.Write(dir, "memory.max", "536870912\n");
        _tree.Write(dir, "memory.stat", "anon 1000\nfile 2000\nkernel 300\nkernel_stack 16384\nslab 50\nsock 0\n");
        _tree.Write(dir, "memory.events", "low 0\nhigh 0\nmax 7\noom 2\noom_kill 2\noom_group_kill 0\n");
        _tree.Write(dir, "cpu.stat", "usage_usec 5000\nuser_usec 3000\nsystem_usec 2000\nnr_periods 40\n" +
                                     "nr_throttled 12\nthrottled_usec 900\n");
        _tree.Write(dir, "io.stat", "254:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n" +
                                    "7:3 rbytes=100 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n");
        _tree.Write(dir, "pids.current", "4\n");
        _tree.Write(dir, "pids.events", "max 3\n");

        var stats = _tree.Driver().ReadStats("m1");

        Assert.Equal(123456789, stats.MemoryBytes);
        Assert.Equal(536870912, stats.MemoryLimitBytes);
        Assert.Equal(2, stats.OomKills);
        Assert.Equal((1000L, 2000L, 300L), (stats.MemoryAnonBytes, stats.MemoryFileBytes, stats.MemoryKernelBytes));
        Assert.Equal(5_000_000, stats.CpuUsageNanoseconds);
        Assert.Equal((3_000_000L, 2_000_000L), (stats.CpuUserNanoseconds, stats.CpuSystemNanoseconds));
        Assert.Equal(12, stats.CpuThrottledPeriods);
        Assert.Equal((4196L, 8192L), (stats.IoReadBytes, stats.IoWriteBytes));
        Assert.Equal(4, stats.Pids);
        Assert.Equal(long.MaxValue, stats.PidsLimit); // "max"
        Assert.Equal(3, stats.PidsLimitHits);
    }

    [Fact]
    public void Kernel_memory_before_5_18_is_stacks_plus_slabs()
    {
        var dir = _tree.AddMachine("m1");
        _tree.Write(dir, "memory.stat", "anon 1\nfile 2\nkernel_stack 16384\npagetables 8\nslab 4000\n");
        Assert.Equal(20384, _tree.Driver().ReadStats("m1").MemoryKernelBytes);
    }

    [Fact]
    public void Stats_of_a_cgroup_without_io_accounting_report_no_io()
    {
        _tree.AddMachine("m1");
        var stats = _tree.Driver().ReadStats("m1");
        Assert.Equal((0L, 0L), (stats.IoReadBytes, stats.IoWriteBytes));
    }

    [Fact]
    public async Task Freeze_writes_cgroup_freeze_and_returns_only_once_the_kernel_reports_frozen()
    {
        var dir = _tree.AddMachine("m1");
        var driver = _tree.Driver();
        var kernel = Task.Run(async () =>
        {
            // The kernel's part: notice the request, take a while, then report the cgroup frozen.
            while (_tree.Read(dir, "cgroup.freeze") != "1") await Task.Delay(5);
            await Task.Delay(150);
            _tree.Write(dir, "cgroup.events", "populated 1\nfrozen 1\n");
        });

        var started = DateTime.UtcNow;
        driver.Freeze("m1");

        Assert.True(kernel.IsCompleted, "Freeze returned before the kernel reported the cgroup frozen");
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(140));
        Assert.True(driver.IsFrozen("m1"));
        await kernel;
    }

    [Fact]
    public void Thaw_writes_0_and_waits_for_frozen_0()
    {
        var dir = _tree.AddMachine("m1");
        _tree.Write(dir, "cgroup.freeze", "1");
        _tree.Write(dir, "cgroup.events", "populated 1\nfrozen 1\n");
        var driver = _tree.Driver(TimeSpan.FromMilliseconds(300));

        Assert.Throws<LabException>(() => driver.Thaw("m1")); // the fake kernel never thaws it
        Assert.Equal("0", _tree.Read(dir, "cgroup.freeze"));

        _tree.Write(dir, "cgroup.events", "populated 1\nfrozen 0\n");
        driver.Thaw("m1");
        Assert.False(driver.IsFrozen("m1"));
    }

    [Fact]
    public void A_freeze_the_kernel_never_completes_is_undone_and_reported_unavailable()
    {
        var dir = _tree.AddMachine("m1");
        var driver = _tree.Driver(TimeSpan.FromMilliseconds(200));

        var ex = Assert.Throws<LabException>(() => driver.Freeze("m1"));

        Assert.Equal(ErrorKind.Unavailable, ex.Kind);
        Assert.Equal("0", _tree.Read(dir, "cgroup.freeze"));
    }

    [Fact]
    public void Freezing_an_unknown_machine_is_not_found()
    {
        var driver = _tree.Driver();
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<LabException>(() => driver.Freeze("ghost")).Kind);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<LabException>(() => driver.Thaw("ghost")).Kind);
        Assert.False(driver.IsFrozen("ghost"));
    }
}
