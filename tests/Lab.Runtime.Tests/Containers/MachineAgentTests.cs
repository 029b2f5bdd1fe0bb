using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Containers;

/// <summary>The per-machine container agent (MachineAgent, native/lab-init.c agent): where it lives, what it holds,
/// what a student can do to it, and that it goes when its machine goes.</summary>
public sealed class MachineAgentTests(ContainerFixture f) : IClassFixture<ContainerFixture>
{
    [Fact]
    public async Task The_agent_lives_in_the_machines_namespaces_and_holds_nothing_but_its_socket()
    {
        Assert.Equal(0, (await f.RunAsync("true")).Code);
        int agent = AgentOf(f.Machine);
        int init = f.Host.InitPidOf(f.Machine);

        foreach (var ns in new[] { "mnt", "pid", "net", "uts", "ipc", "cgroup" })
            Assert.Equal(ReadLink($"/proc/{init}/ns/{ns}"), ReadLink($"/proc/{agent}/ns/{ns}"));
        var fds = Directory.GetFiles($"/proc/{agent}/fd").Select(ReadLink).ToList();
        Assert.Single(fds, target => target.StartsWith("socket:", StringComparison.Ordinal));
        Assert.All(fds, target => Assert.True(target == "/dev/null" || target.StartsWith("socket:", StringComparison.Ordinal), target));
        Assert.Equal("/", ReadLink($"/proc/{agent}/root"));
    }

    [Fact]
    public async Task A_student_root_in_the_machine_cannot_read_the_agents_descriptors_or_memory()
    {
        Assert.Equal(0, (await f.RunAsync("true")).Code);
        int inside = PidInsideMachine(AgentOf(f.Machine));

        var (code, _, err) = await f.Sh(f.Machine, $"ls /proc/{inside}/fd/ && cat /proc/{inside}/environ && ls /proc/{inside}/root/");

        Assert.NotEqual(0, code);
        Assert.Contains("Permission denied", err);
    }

    [Fact]
    public async Task A_killed_agent_is_replaced_and_containers_still_start_and_are_removed()
    {
        Assert.Equal(0, (await f.RunAsync("true")).Code);
        int first = AgentOf(f.Machine);
        var (code, _, _) = await f.Sh(f.Machine, $"kill -9 {PidInsideMachine(first)}");
        Assert.Equal(0, code);
        await WaitUntilAsync(() => !IsAlive(first));

        var (exit, output, record) = await f.RunAsync("echo", "still here");
        await f.Containers.RemoveAsync(f.Machine, record.Id);

        Assert.Equal(0, exit);
        Assert.Equal("still here\n", output);
        Assert.NotEqual(first, AgentOf(f.Machine));
        Assert.Equal(0, (await f.Sh(f.Machine, $"test ! -e /var/lib/lab/containers/{record.Id}")).Code);
    }

    [Fact]
    public async Task A_stopped_agent_fails_one_start_with_a_clear_error_and_is_replaced()
    {
        var machine = await f.NewMachineAsync();
        var spec = new Lab.Runtime.Containers.ContainerSpec { Image = "busybox", Cmd = ["true"] };
        Assert.Equal(0, (await f.RunAsync(spec, machine)).Code);
        int stopped = AgentOf(machine);
        Assert.Equal(0, (await f.Sh(machine, $"kill -STOP {PidInsideMachine(stopped)}")).Code);
        var saved = f.Containers.AgentTimeout;
        f.Containers.AgentTimeout = TimeSpan.FromSeconds(2);
        try
        {
            var record = await f.Containers.CreateAsync(machine, spec);
            var error = await Assert.ThrowsAsync<LabException>(() => f.Containers.StartAsync(machine, record.Id));
            Assert.Contains("agent did not answer", error.Message);
            await WaitUntilAsync(() => !IsAlive(stopped));

            Assert.Equal(0, (await f.RunAsync(spec, machine)).Code);
        }
        finally
        {
            f.Containers.AgentTimeout = saved;
        }
    }

    [Fact]
    public async Task The_agent_exits_with_its_machine()
    {
        var machine = await f.NewMachineAsync();
        Assert.Equal(0, (await f.RunAsync(new Lab.Runtime.Containers.ContainerSpec { Image = "busybox", Cmd = ["true"] }, machine)).Code);
        int agent = AgentOf(machine);

        await f.Host.StopAsync(machine);

        await WaitUntilAsync(() => !IsAlive(agent));
    }

    /// <summary>The server's child running `lab-init agent` in <paramref name="machine"/>'s pid namespace.</summary>
    private int AgentOf(string machine)
    {
        var pidNs = ReadLink($"/proc/{f.Host.InitPidOf(machine)}/ns/pid");
        return Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && IsAlive(pid) && Arguments(pid) is [_, "agent", ..] && ReadLink($"/proc/{pid}/ns/pid") == pidNs)
            .Single();
    }

    private static int PidInsideMachine(int pid) =>
        int.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("NSpid:", StringComparison.Ordinal))
            .Split('\t', StringSplitOptions.RemoveEmptyEntries)[^1]);

    private static string[] Arguments(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    // Alive: not gone and not a zombie waiting for the stray sweep.
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    private static string ReadLink(string path)
    {
        try { return new FileInfo(path).LinkTarget ?? ""; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    private static async Task WaitUntilAsync(Func<bool> done)
    {
        for (int i = 0; i < 200 && !done(); i++) await Task.Delay(50);
        Assert.True(done());
    }
}
