using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Machines;

/// <summary>/sys/fs/cgroup inside a machine: its own cgroups only, read-only (the CVE-2022-0492 class).</summary>
public class CgroupViewTests(MachineFixture fx) : IClassFixture<MachineFixture>
{
    private bool V1 => fx.Host.Cgroups.Version == "v1";
    private string MemoryLimitFile => V1 ? "/sys/fs/cgroup/memory/memory.limit_in_bytes" : "/sys/fs/cgroup/memory.max";
    private string ProcsFile => V1 ? "/sys/fs/cgroup/memory/cgroup.procs" : "/sys/fs/cgroup/cgroup.procs";

    [Fact]
    public async Task The_machine_sees_its_own_memory_limit_at_the_cgroup_root()
    {
        var name = fx.NewName("cg");
        await fx.Host.StartAsync(name, new Lab.Runtime.Machines.MachineLimits { MemoryBytes = 300L << 20 });
        var (code, stdout, stderr) = await fx.Sh(name, $"cat {MemoryLimitFile}; cat /proc/self/cgroup");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal((300L << 20).ToString(), lines[0]);
        // The cgroup namespace makes the machine's cgroup "/": nothing of the host's tree shows.
        Assert.All(lines.Skip(1), l => Assert.EndsWith(":/", l));
    }

    [Theory]
    [InlineData("notify_on_release", "1")]
    [InlineData("cgroup.procs", "1")]
    [InlineData("memory.limit_in_bytes", "-1")]
    public async Task Cgroup_files_cannot_be_written(string file, string value)
    {
        var name = fx.NewName("cg");
        await fx.Host.StartAsync(name);
        var path = V1 ? $"/sys/fs/cgroup/memory/{file}" : $"/sys/fs/cgroup/{file.Replace("memory.limit_in_bytes", "memory.max")}";
        if (!V1 && file == "notify_on_release") path = ProcsFile;
        var (code, _, stderr) = await fx.Sh(name, $"echo {value} > {path}");
        Assert.NotEqual(0, code);
        Assert.Contains("Read-only file system", stderr);
    }

    [Fact]
    public async Task The_release_agent_escape_fails_and_the_hosts_release_agent_is_unchanged()
    {
        var hostAgent = "/sys/fs/cgroup/memory/release_agent";
        var before = File.Exists(hostAgent) ? File.ReadAllText(hostAgent) : null;
        var name = fx.NewName("cg");
        await fx.Host.StartAsync(name);
        // The CVE-2022-0492 recipe: a cgroup where release_agent is writable (a new cgroup mount, or the root of
        // the one we see), a child cgroup with notify_on_release, then an empty cgroup.procs.
        var (_, stdout, _) = await fx.Sh(name, """
            mkdir -p /tmp/cg
            mount -t cgroup -o memory cgroup /tmp/cg 2>/dev/null && echo mounted
            for d in /sys/fs/cgroup /sys/fs/cgroup/*; do
              [ -e "$d/release_agent" ] && echo "/tmp/x" > "$d/release_agent" 2>/dev/null && echo "agent:$d"
              mkdir "$d/x" 2>/dev/null && echo "mkdir:$d"
            done
            echo done
            """);
        Assert.Equal("done", stdout.Trim());
        if (before is not null) Assert.Equal(before, File.ReadAllText(hostAgent));
    }
}
