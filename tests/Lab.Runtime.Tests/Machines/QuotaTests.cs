using System.Diagnostics;
using Lab.Runtime.Machines;
using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Machines;

/// <summary>Quotas proven by trying to break them, and measured from the kernel's counters.</summary>
[Collection(Exclusive.Name)]
public class QuotaTests(MachineFixture fx) : IClassFixture<MachineFixture>
{
    [Fact]
    public async Task A_memory_hog_is_oom_killed_inside_the_machine_and_everything_else_is_fine()
    {
        var hog = fx.NewName("mem");
        var neighbour = fx.NewName("mem");
        await fx.Host.StartAsync(hog, new MachineLimits { MemoryBytes = 64L << 20 });
        await fx.Host.StartAsync(neighbour);

        // busybox tail keeps a whole newline-free line in memory: 256 MiB of zeros against a 64 MiB limit.
        var (code, _, _) = await fx.Sh(hog, "head -c 268435456 /dev/zero | tail -n 1 > /dev/null");

        Assert.Equal(137, code); // SIGKILL from the OOM killer
        Assert.True(fx.Host.Stats(hog).OomKills >= 1, "the kernel recorded no OOM kill in the machine's cgroup");
        Assert.Equal(MachineState.Running, fx.Host.Find(hog)!.State);
        Assert.Equal((0, "alive\n", ""), await fx.Sh(hog, "echo alive"));
        Assert.Equal((0, "fine\n", ""), await fx.Sh(neighbour, "echo fine"));
        Assert.Equal(0, fx.Host.Stats(neighbour).OomKills);
    }

    [Fact]
    public async Task A_fork_bomb_hits_the_pids_limit_and_the_shell_stays_usable()
    {
        var name = fx.NewName("pids");
        await fx.Host.StartAsync(name, new MachineLimits { Pids = 48 });
        var terminal = await fx.Host.OpenTerminalAsync(name);
        var screen = new TerminalScreen(terminal);

        // A real bomb (each copy forks two more), bounded in time so it dies out by itself.
        screen.Type("end=$(($(date +%s)+3)); b() { [ \"$(date +%s)\" -lt $end ] 2>/dev/null || return; b & b & wait; }; b 2>/dev/null; echo bomb-done\n");
        await screen.WaitFor("bomb-done", TimeSpan.FromSeconds(30));
        screen.Type("echo still-$((6*7))\n");
        await screen.WaitFor("still-42", TimeSpan.FromSeconds(10));

        var stats = fx.Host.Stats(name);
        Assert.True(stats.PidsLimitHits > 0, "the bomb never reached the pids limit");
        Assert.True(stats.Pids <= 48);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public async Task A_cpu_spinner_gets_about_its_quota(double cpus)
    {
        var name = fx.NewName("cpu");
        await fx.Host.StartAsync(name, new MachineLimits { Cpus = cpus });
        var before = fx.Host.Stats(name).CpuUsageNanoseconds;
        var clock = Stopwatch.StartNew();
        // Two spinners on a two-core host would take two cores without a quota.
        await fx.Sh(name, "timeout 3 sh -c 'while :; do :; done' & timeout 3 sh -c 'while :; do :; done' & wait");
        var used = (fx.Host.Stats(name).CpuUsageNanoseconds - before) / 1e9;
        var cores = used / clock.Elapsed.TotalSeconds;
        Assert.InRange(cores, cpus * 0.5, cpus * 1.25);
    }
}
