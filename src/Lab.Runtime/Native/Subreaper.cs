using Lab.Runtime.Interop;

namespace Lab.Runtime.Native;

/// <summary>Makes this process the reaper of its orphaned descendants. A container's PID 1 is cloned (CLONE_PARENT)
/// by a helper that exits at once; as a subreaper the server inherits it and waits for it, which is how it learns
/// the container's exit code.</summary>
internal static class Subreaper
{
    private static int _done;

    /// <summary>Reaps exited children nobody here waits for. As a subreaper the server also inherits processes it
    /// never asked for — a command run in a machine whose exec helper was killed on cancel — and a machine's init,
    /// when it dies, waits for every process of its pid namespace to be reaped: an unreaped zombie of ours would
    /// keep the machine from ever stopping.</summary>
    public static void ReapStrays()
    {
        int self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid) || Spawner.IsAwaited(pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; } // gone meanwhile
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] == "Z" && fields[1] == self.ToString()) Spawner.TryReap(pid);
        }
    }

    public static void Become()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1) return;
        if (Syscalls.prctl(Syscalls.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
            throw LinuxException.FromLastError("prctl PR_SET_CHILD_SUBREAPER");
    }
}
