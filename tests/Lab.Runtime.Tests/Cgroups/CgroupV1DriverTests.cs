using Lab.Runtime.Cgroups;
using Lab.Runtime.Machines;

namespace Lab.Runtime.Tests.Cgroups;

/// <summary>The v1 driver against this host's v1 hierarchies, under a parent cgroup of the test's own.</summary>
public class CgroupV1DriverTests : IDisposable
{
    private readonly CgroupV1Driver? _driver =
        HostCgroups.HasV1("memory") ? new CgroupV1Driver($"{StaleTestState.OwnPrefix}v1-{Guid.NewGuid():N}"[..32]) : null;

    private CgroupV1Driver Driver => _driver!;

    public void Dispose()
    {
        if (_driver is null) return;
        foreach (var machine in _driver.ListMachines()) _driver.Destroy(machine);
        _driver.RemoveParent();
    }

    [CgroupV1Fact]
    public void Freeze_stops_every_process_of_the_machine_until_Thaw()
    {
        using var sh = new ShellInCgroup(ShellInCgroup.Counting, Driver.Create("m", MachineLimits.Default));
        Assert.True(sh.CountAdvancesWithin(TimeSpan.FromSeconds(5)), "the shell never started counting");

        Driver.Freeze("m");
        Assert.True(Driver.IsFrozen("m"));
        Assert.True(sh.CountStandsStill(), "a process of the frozen machine kept running");

        Driver.Thaw("m");
        Assert.False(Driver.IsFrozen("m"));
        Assert.True(sh.CountAdvancesWithin(TimeSpan.FromSeconds(5)), "the machine did not run again after Thaw");
    }

    [CgroupV1Fact]
    public void Destroy_kills_a_frozen_machine_and_removes_its_cgroups()
    {
        using var sh = new ShellInCgroup(ShellInCgroup.Counting, Driver.Create("m", MachineLimits.Default));
        Assert.True(sh.CountAdvancesWithin(TimeSpan.FromSeconds(5)));
        Driver.Freeze("m");

        Driver.Destroy("m");

        Assert.True(sh.WaitForExit(TimeSpan.FromSeconds(5)), "the frozen shell survived Destroy");
        Assert.Empty(Driver.PathsOf("m"));
    }

    // QuotaTests prove the quota still bounds a spinner; here, that a machine may spend what it left unused and that
    // a container (Docker's --cpus) may not.
    [CgroupV1Fact]
    public void A_machine_may_burst_one_periods_quota_and_its_containers_may_not()
    {
        var machine = Driver.Create("m", new MachineLimits { Cpus = 0.5 });
        var container = Driver.Create("m/c", new MachineLimits { Cpus = 0.5 });
        string Burst(IEnumerable<string> dirs) => File.ReadAllText(Path.Combine(dirs.Single(d => File.Exists(Path.Combine(d, "cpu.cfs_quota_us"))), "cpu.cfs_burst_us")).Trim();
        if (!File.Exists("/sys/fs/cgroup/cpu/cpu.cfs_burst_us")) return; // a kernel before 5.14: no burst to give
        Assert.Equal("50000", Burst(machine));
        Assert.Equal("0", Burst(container));
    }

    [CgroupV1Fact]
    public void Freezing_an_unknown_machine_is_not_found()
    {
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<LabException>(() => Driver.Freeze("ghost")).Kind);
        Assert.False(Driver.IsFrozen("ghost"));
    }

    // Direct I/O is charged to the cgroup that issues it (buffered writeback, in v1, to the root's); the
    // variable holds 8 MB of anonymous memory and the file written through the page cache 4 MB of cache; the
    // counting loop needs more than its 0.2 CPU quota, so it is throttled.
    private const string Workload = """
        dd if=/dev/zero of="$1/direct" bs=1M count=4 oflag=direct 2>/dev/null
        dd if="$1/direct" of=/dev/null bs=1M iflag=direct 2>/dev/null
        head -c 4000000 /dev/zero > "$1/cached"
        x=$(head -c 8000000 /dev/zero | tr '\0' a)
        i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done
        echo done; read wait
        """;

    [CgroupV1Fact]
    public void Stats_report_the_memory_cpu_io_and_pids_the_machine_used()
    {
        var limits = new MachineLimits { MemoryBytes = 256 << 20, Pids = 64, Cpus = 0.2 };
        using var sh = new ShellInCgroup(Workload, Driver.Create("m", limits));
        Assert.Equal("done", sh.ReadLine());

        var stats = Driver.ReadStats("m");

        Assert.InRange(stats.MemoryAnonBytes, 8_000_000, 64 << 20);
        Assert.InRange(stats.MemoryFileBytes, 4_000_000, 64 << 20);
        Assert.True(stats.MemoryKernelBytes > 0, "no kernel memory charged");
        Assert.True(stats.MemoryBytes >= stats.MemoryAnonBytes + stats.MemoryFileBytes);
        Assert.Equal(256 << 20, stats.MemoryLimitBytes);
        Assert.InRange(stats.IoWriteBytes, 4 << 20, 5 << 20);
        Assert.InRange(stats.IoReadBytes, 4 << 20, 5 << 20);
        Assert.True(stats.CpuUserNanoseconds > 0 && stats.CpuSystemNanoseconds > 0,
            $"user {stats.CpuUserNanoseconds} ns, system {stats.CpuSystemNanoseconds} ns");
        Assert.True(stats.CpuUsageNanoseconds >= stats.CpuUserNanoseconds);
        Assert.True(stats.CpuThrottledPeriods > 0, "the CPU quota never throttled the loop");
        Assert.Equal(1, stats.Pids); // the shell, waiting
        Assert.Equal(64, stats.PidsLimit);
    }
}
