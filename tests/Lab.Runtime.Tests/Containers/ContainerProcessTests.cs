using Lab.Runtime.Containers;
using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Containers;

/// <summary>How a container's PID 1 is started and waited for (see ContainerProcess and lab-init run).</summary>
public sealed class ContainerProcessTests(ContainerFixture f) : IClassFixture<ContainerFixture>
{
    [Fact]
    public async Task A_running_container_is_the_servers_own_child_with_no_monitor_beside_it()
    {
        var record = await f.CreateAsync("sleep", "30");
        await f.Containers.StartAsync(f.Machine, record.Id);
        try
        {
            int pid = f.Containers.Get(f.Machine, record.Id).State.Pid;

            Assert.Equal(Environment.ProcessId, ParentOf(pid));
            Assert.Equal("sleep", File.ReadAllText($"/proc/{pid}/comm").Trim());
            Assert.DoesNotContain(ChildrenOf(Environment.ProcessId), p => CommandOf(p) == "lab-monitor");
        }
        finally
        {
            await f.Containers.RemoveAsync(f.Machine, record.Id, force: true);
        }
    }

    [Fact]
    public async Task The_exit_status_of_PID_1_is_the_containers_whether_it_exits_or_is_killed()
    {
        var (code, _, _) = await f.RunAsync("sh", "-c", "exit 42");
        Assert.Equal(42, code);

        var record = await f.CreateAsync("sleep", "30");
        await f.Containers.StartAsync(f.Machine, record.Id);
        await f.Containers.KillAsync(f.Machine, record.Id, "SIGKILL");
        Assert.Equal(137, await f.Containers.WaitAsync(f.Machine, record.Id).WaitAsync(TimeSpan.FromSeconds(20)));
        await f.Containers.RemoveAsync(f.Machine, record.Id);
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; } // gone meanwhile
    }

    private static IEnumerable<int> ChildrenOf(int parent) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == parent);

    private static string? CommandOf(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
