using Lab.Runtime.Cgroups;
using Lab.Runtime.Machines;

namespace Lab.Runtime.Tests.Cgroups;

/// <summary>Limits of the v2 driver enforced by the kernel: only a unified host with delegated controllers can
/// show that (on a hybrid host, see CgroupV2DriverTests for the refusal and CgroupV2DriverFileTests for the
/// files written).</summary>
public class CgroupV2LimitsTests
{
    [UnifiedCgroupFact]
    public void The_kernel_enforces_the_pids_limit_and_reports_every_limit_written()
    {
        var driver = new CgroupV2Driver($"{StaleTestState.OwnPrefix}v2l-{Guid.NewGuid():N}"[..32]);
        try
        {
            var dirs = driver.Create("m", new MachineLimits { MemoryBytes = 64 << 20, Pids = 4, Cpus = 0.5 });
            // Eight background sleeps against a limit of four: the shell's forks fail once the cgroup is full.
            using var sh = new ShellInCgroup("for i in 1 2 3 4 5 6 7 8; do sleep 30 & done 2>/dev/null; read wait", dirs);

            Assert.True(CgroupFiles.WaitUntil(() => driver.ReadStats("m").PidsLimitHits > 0, TimeSpan.FromSeconds(5)),
                "no fork was refused by pids.max");
            var stats = driver.ReadStats("m");
            Assert.InRange(stats.Pids, 1, 4);
            Assert.Equal(4, stats.PidsLimit);
            Assert.Equal(64 << 20, stats.MemoryLimitBytes);
            Assert.Equal("50000 100000", File.ReadAllText(Path.Combine(dirs[0], "cpu.max")).Trim());
            var swap = Path.Combine(dirs[0], "memory.swap.max"); // present only where the kernel accounts swap
            if (File.Exists(swap)) Assert.Equal("0", File.ReadAllText(swap).Trim());
        }
        finally
        {
            foreach (var machine in driver.ListMachines()) driver.Destroy(machine);
            driver.RemoveParent();
        }
    }
}
