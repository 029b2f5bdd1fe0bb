using System.Diagnostics;
using Lab.Runtime.Cgroups;
using Lab.Runtime.Machines;
using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Cgroups;

/// <summary>The v2 driver against a real cgroup2 mount. On a unified host that is /sys/fs/cgroup and the whole
/// machine suite already runs on v2; on this project's hybrid CI machine it is the controller-less
/// /sys/fs/cgroup/unified, where what does not need a controller (tree, membership, cgroup.kill, refusal of
/// limits it cannot enforce) is still real.</summary>
public class CgroupV2DriverTests
{
    private static string? Unified() =>
        File.ReadLines("/proc/self/mountinfo").Select(l => l.Split(' '))
            .Where(f => f.Length > 4 && Array.IndexOf(f, "-") is int sep and > 0 && f[sep + 1] == "cgroup2")
            .Select(f => f[4]).FirstOrDefault();

    private static CgroupV2Driver NewDriver(string mount) =>
        new($"{StaleTestState.OwnPrefix}v2-{Guid.NewGuid():N}"[..32], mount);

    [Fact]
    public void Destroy_kills_every_process_in_the_machines_cgroup_and_removes_it()
    {
        var mount = Unified();
        Assert.NotNull(mount); // every supported host has a cgroup2 mount, hybrid ones included
        var driver = NewDriver(mount);
        var dir = Path.Combine(driver.ParentDirectory, "victim");
        Directory.CreateDirectory(dir);
        using var sleeper = Process.Start("sleep", "300");
        File.WriteAllText(Path.Combine(dir, "cgroup.procs"), sleeper.Id.ToString());
        Assert.Equal(["victim"], driver.ListMachines());

        driver.Destroy("victim");

        Assert.True(sleeper.WaitForExit(5000), "the process in the cgroup survived Destroy");
        Assert.Empty(driver.PathsOf("victim"));
        driver.RemoveParent();
        Assert.False(Directory.Exists(driver.ParentDirectory));
    }

    [Fact]
    public void Creating_a_driver_moves_no_process_of_the_host()
    {
        var mount = Unified();
        Assert.NotNull(mount);
        var before = File.ReadAllText("/proc/self/cgroup");
        var driver = NewDriver(mount);
        driver.RemoveParent();
        Assert.Equal(before, File.ReadAllText("/proc/self/cgroup"));
        Assert.False(Directory.Exists(Path.Combine(mount, "lab-server")));
    }

    [Fact]
    public void Limits_without_a_delegated_controller_are_refused_not_silently_dropped()
    {
        var mount = Unified();
        Assert.NotNull(mount);
        var driver = NewDriver(mount);
        try
        {
            var hasMemory = File.ReadAllText(Path.Combine(mount, "cgroup.controllers")).Contains("memory");
            if (hasMemory)
            {
                var dirs = driver.Create("limited", new MachineLimits { MemoryBytes = 64 << 20, Pids = 10, Cpus = 0.5 });
                Assert.Equal((64 << 20).ToString(), File.ReadAllText(Path.Combine(dirs[0], "memory.max")).Trim());
                Assert.Equal("50000 100000", File.ReadAllText(Path.Combine(dirs[0], "cpu.max")).Trim());
            }
            else
            {
                var ex = Assert.Throws<LabException>(() => driver.Create("limited", MachineLimits.Default));
                Assert.Equal(ErrorKind.Unavailable, ex.Kind);
                Assert.Contains("memory.max", ex.Message);
            }
        }
        finally
        {
            driver.Destroy("limited");
            driver.RemoveParent();
        }
    }
}
