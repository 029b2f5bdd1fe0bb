using System.Text.Json;
using Lab.Runtime.Machines;
using Lab.Runtime.Native;

namespace Lab.Runtime.Volumes;

/// <summary>Runs `lab-init volume` (native/lab-init.c cmd_volume) against a running machine: the volume's directory
/// is made or deleted from inside the machine's mount namespace, never through a path seen from the host.</summary>
internal static class VolumeHelper
{
    public static async Task CreateDirAsync(MachineHost machines, string machine, string name, CancellationToken ct) =>
        await RunAsync(machines, machine, "create", name, ct);

    /// <summary>Deletes the volume's directory; returns the bytes its files held.</summary>
    public static async Task<long> RemoveDirAsync(MachineHost machines, string machine, string name, CancellationToken ct)
    {
        var text = await RunAsync(machines, machine, "remove", name, ct);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (JsonDocument.Parse(line).RootElement.TryGetProperty("reclaimed", out var bytes)) return bytes.GetInt64();
        return 0;
    }

    private static async Task<string> RunAsync(MachineHost machines, string machine, string operation, string name, CancellationToken ct)
    {
        if (machines.Find(machine)?.State != MachineState.Running)
            throw new LabException(ErrorKind.Conflict, $"machine {machine} is not running: its volumes are on its disk");
        var args = machines.Helper.VolumeArgs(machines.InitPidOf(machine), operation, name);
        var (text, code) = await InitHelper.RunOnceAsync(args);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (JsonDocument.Parse(line).RootElement.TryGetProperty("error", out var error))
                throw new LabException(ErrorKind.Internal, $"{operation} {name}: {error.GetString()}");
        if (code != 0) throw new LabException(ErrorKind.Internal, $"{operation} {name}: lab-init volume exited with {code}");
        return text;
    }
}
