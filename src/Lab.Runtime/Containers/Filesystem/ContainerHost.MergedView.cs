using System.Text;
using Lab.Runtime.Machines;
using Lab.Runtime.Native;

namespace Lab.Runtime.Containers;

public sealed partial class ContainerHost
{
    /// <summary>Runs <paramref name="work"/> on the container's merged root: a running container's own root
    /// (/proc/&lt;pid&gt;/root), else its overlay mounted by `lab-init view` in a private mount namespace of the
    /// machine, for as long as the work lasts (the container cannot start meanwhile: its lock is held).</summary>
    private async Task<T> WithMergedRootAsync<T>(string machine, string idOrName,
        Func<ContainerRecord, FileDescriptor, Task<T>> work, CancellationToken ct)
    {
        var record = Get(machine, idOrName);
        if (record.State.Running && record.State.Pid > 0)
        {
            using var root = ResolveInRoot.OpenRoot($"/proc/{record.State.Pid}/root");
            return await work(record, root);
        }
        using var _ = await LockAsync(Key(record), ct);
        record = Get(machine, record.Id);
        if (record.State.Running)
            throw new LabException(ErrorKind.Conflict, $"container {record.Id} started while its files were being opened; try again");
        var args = new List<string> { _machines.Helper.Path, "view", "--pid", _machines.InitPidOf(machine).ToString(),
            "--id", record.Id, "--status-fd", InitHelper.StatusFd.ToString() };
        foreach (var layer in record.Layers) { args.Add("--layer"); args.Add(layer); }
        var (stdinRead, stdinWrite) = FileDescriptor.Pipe();
        var (statusRead, statusWrite) = FileDescriptor.Pipe();
        int pid;
        using (var devNull = FileDescriptor.OpenDevNull())
        using (stdinRead)
        using (statusWrite)
            pid = Spawner.Spawn(args[0], args, ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
                [(0, stdinRead), (1, devNull), (2, devNull), (InitHelper.StatusFd, statusWrite)]);
        try
        {
            var report = await Task.Run(() => InitHelper.ReadFirst(statusRead, new StringBuilder()), ct); // a blocking read: off the caller's thread
            if (report.Error is not null || report.Pid is null)
                throw new LabException(ErrorKind.Internal, $"could not open the files of container {record.Id}: {report.Error ?? "no answer"}");
            using var root = ResolveInRoot.OpenRoot($"/proc/{pid}/root");
            return await work(record, root);
        }
        finally
        {
            stdinWrite.Dispose();
            statusRead.Dispose();
            await Task.Run(() => Spawner.Wait(pid), CancellationToken.None);
        }
    }
}
