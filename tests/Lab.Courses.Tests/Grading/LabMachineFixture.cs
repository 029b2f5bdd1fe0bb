using Lab.Runtime;
using Lab.Runtime.Machines;
using Lab.Testing;

namespace Lab.Courses.Tests.Grading;

/// <summary>A MachineHost on a temporary LAB_DATA and its own cgroup parent (lab-test-PID- names, swept if a run is
/// killed), with one running busybox machine shared by the class's tests; all removed afterwards.</summary>
public sealed class LabMachineFixture : IAsyncLifetime
{
    public LabMachineFixture()
    {
        StaleTestState.EnsureSwept();
        DataDir = Directory.CreateTempSubdirectory(StaleTestState.OwnPrefix).FullName;
        Host = new MachineHost(new RuntimeOptions
        {
            DataDir = DataDir,
            CgroupParent = $"{StaleTestState.OwnPrefix}{Guid.NewGuid():N}"[..32],
        }, TestImages.Busybox);
    }

    public string DataDir { get; }

    public MachineHost Host { get; }

    // One name per fixture: the name is also the machine's namespace in the shared test image store, where each
    // test class tags its images and deletes its names file when done; classes run in parallel.
    private static int _fixtures;
    public string Machine { get; } = $"g-{Environment.ProcessId % 10000}-{Interlocked.Increment(ref _fixtures)}";

    public async Task<int> ShAsync(string script)
    {
        var output = new MemoryStream();
        return await Host.ExecAsync(Machine, ["/bin/sh", "-c", script], output, output);
    }

    public async Task InitializeAsync() => await Host.StartAsync(Machine);

    public async Task DisposeAsync()
    {
        foreach (var machine in Host.List())
        {
            await Host.RemoveAsync(machine.Name);
        }

        Host.Cgroups.RemoveParent();
        Host.Dispose();
        Directory.Delete(DataDir, recursive: true);
    }
}
