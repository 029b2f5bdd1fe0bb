using Lab.Runtime.Cgroups;

namespace Lab.Runtime.Tests.Cgroups;

/// <summary>The v2 driver against the kernel, on a private cgroup2 mount (see <see cref="PrivateCgroup2Mount"/>):
/// freezer, kill and cpu.stat need no controller, so they are tested for real on any host.</summary>
public class CgroupV2KernelTests : IDisposable
{
    private readonly PrivateCgroup2Mount _mount = new();
    private readonly CgroupV2Driver _driver;

    public CgroupV2KernelTests() =>
        _driver = new CgroupV2Driver($"{StaleTestState.OwnPrefix}v2k-{Guid.NewGuid():N}"[..32], _mount.MountPoint);

    public void Dispose()
    {
        foreach (var machine in _driver.ListMachines()) _driver.Destroy(machine);
        _driver.RemoveParent();
        _mount.Dispose();
    }

    // The limits need controllers this host's cgroup2 lacks; membership is what these tests are about.
    private string[] Machine(string name) => [Directory.CreateDirectory(Path.Combine(_driver.ParentDirectory, name)).FullName];

    [Fact]
    public void Freeze_stops_every_process_of_the_machine_until_Thaw()
    {
        using var sh = new ShellInCgroup(ShellInCgroup.Counting, Machine("m"));
        Assert.True(sh.CountAdvancesWithin(TimeSpan.FromSeconds(5)), "the shell never started counting");

        _driver.Freeze("m");
        Assert.True(_driver.IsFrozen("m"));
        Assert.True(sh.CountStandsStill(), "a process of the frozen machine kept running");

        _driver.Thaw("m");
        Assert.False(_driver.IsFrozen("m"));
        Assert.True(sh.CountAdvancesWithin(TimeSpan.FromSeconds(5)), "the machine did not run again after Thaw");
    }

    [Fact]
    public void Destroy_kills_a_frozen_machine_and_removes_its_cgroup()
    {
        using var sh = new ShellInCgroup(ShellInCgroup.Counting, Machine("m"));
        Assert.True(sh.CountAdvancesWithin(TimeSpan.FromSeconds(5)));
        _driver.Freeze("m");

        _driver.Destroy("m");

        Assert.True(sh.WaitForExit(TimeSpan.FromSeconds(5)), "the frozen shell survived Destroy");
        Assert.Empty(_driver.PathsOf("m"));
    }

    [Fact]
    public void Stats_report_the_cpu_time_the_machines_processes_used()
    {
        using var sh = new ShellInCgroup("i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo done; read wait",
            Machine("m"));
        Assert.Equal("done", sh.ReadLine());

        var stats = _driver.ReadStats("m");

        Assert.True(stats.CpuUsageNanoseconds > 10_000_000, $"only {stats.CpuUsageNanoseconds} ns of CPU");
        Assert.True(stats.CpuUserNanoseconds > 0);
        Assert.InRange(stats.CpuUserNanoseconds + stats.CpuSystemNanoseconds,
            stats.CpuUsageNanoseconds * 9 / 10, stats.CpuUsageNanoseconds * 11 / 10);
    }
}
