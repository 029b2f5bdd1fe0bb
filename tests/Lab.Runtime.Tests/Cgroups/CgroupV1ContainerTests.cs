using Lab.Runtime.Cgroups;
using Lab.Runtime.Machines;

namespace Lab.Runtime.Tests.Cgroups;

/// <summary>A container's cgroup ("MACHINE/CONTAINER") in the v1 driver: what its start and exit cost.</summary>
public sealed class CgroupV1ContainerTests : IDisposable
{
    private readonly CgroupV1Driver? _driver =
        HostCgroups.HasV1("memory") ? new CgroupV1Driver($"{StaleTestState.OwnPrefix}v1c-{Guid.NewGuid():N}"[..32]) : null;

    private CgroupV1Driver Driver => _driver!;

    public void Dispose()
    {
        if (_driver is null) return;
        foreach (var machine in _driver.ListMachines()) _driver.Destroy(machine);
        _driver.RemoveParent();
    }

    [CgroupV1Fact]
    public void A_container_counts_io_on_attached_block_devices_only_its_machine_on_every_one()
    {
        var before = BlockDevices();
        var machineBlkio = Blkio(Driver.Create("m", MachineLimits.Default));
        var containerBlkio = Blkio(Driver.Create("m/c", MachineLimits.Default));
        var after = BlockDevices();
        if (machineBlkio is null || containerBlkio is null) return; // no blkio hierarchy on this host

        // Other processes attach and detach loop devices meanwhile: judge by those that did not change.
        var stable = before.Keys.Intersect(after.Keys).Where(d => before[d] == after[d]).ToList();
        var containerRules = Rules(containerBlkio);
        Assert.Subset(Rules(machineBlkio).ToHashSet(), stable.ToHashSet());
        Assert.Subset(containerRules.ToHashSet(), stable.Where(d => !before[d]).ToHashSet());
        Assert.Empty(containerRules.Intersect(stable.Where(d => before[d])));
    }

    // MAJ:MIN of each block device → whether it is a loop device with nothing attached.
    private static Dictionary<string, bool> BlockDevices() =>
        Directory.GetDirectories("/sys/block").ToDictionary(
            d => File.ReadAllText(Path.Combine(d, "dev")).Trim(),
            d => Path.GetFileName(d).StartsWith("loop") && File.ReadAllText(Path.Combine(d, "size")).Trim() == "0");

    [CgroupV1Fact]
    public void Destroying_an_empty_container_cgroup_removes_it_from_every_hierarchy_and_keeps_its_machine()
    {
        Driver.Create("m", MachineLimits.Default);
        Driver.Create("m/c", MachineLimits.Default);

        Driver.Destroy("m/c");

        Assert.Empty(Driver.PathsOf("m/c"));
        Assert.NotEmpty(Driver.PathsOf("m"));
        Assert.False(Driver.IsFrozen("m"));
    }

    [CgroupV1Fact]
    public void Destroying_a_container_cgroup_with_a_process_kills_it_then_removes_the_cgroup()
    {
        Driver.Create("m", MachineLimits.Default);
        using var sh = new ShellInCgroup(ShellInCgroup.Counting, Driver.Create("m/c", MachineLimits.Default));
        Assert.True(sh.CountAdvancesWithin(TimeSpan.FromSeconds(5)), "the shell never started counting");

        Driver.Destroy("m/c");

        Assert.True(sh.WaitForExit(TimeSpan.FromSeconds(5)), "the shell survived Destroy");
        Assert.Empty(Driver.PathsOf("m/c"));
        Assert.NotEmpty(Driver.PathsOf("m"));
    }

    private static string? Blkio(IReadOnlyList<string> dirs) =>
        dirs.FirstOrDefault(d => File.Exists(Path.Combine(d, "blkio.throttle.read_bps_device")));

    // "MAJ:MIN BPS" lines, one per device with a rule.
    private static List<string> Rules(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "blkio.throttle.read_bps_device"))
            .Select(l => l.Split(' ')[0]).ToList();
}
