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
    /// keep the machine from ever stopping. Only zombies from another pid namespace (a machine's: NSpid has more
    /// than one level) are taken: System.Diagnostics.Process's children live in ours, and .NET fails the whole
    /// process ("Error while reaping child. errno = 10") when a child it started was reaped by someone else.</summary>
    public static void ReapStrays()
    {
        string self = Environment.ProcessId.ToString();
        foreach (int pid in Children())
        {
            if (Spawner.IsAwaited(pid)) continue;
            string[] status;
            try { status = File.ReadAllLines($"/proc/{pid}/status"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; } // gone meanwhile
            string? Field(string name) => status.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))?[(name.Length + 1)..].Trim();
            if (Field("State")?.StartsWith('Z') == true && Field("PPid") == self
                && Field("NSpid")?.Split('\t', StringSplitOptions.RemoveEmptyEntries).Length > 1)
                Spawner.TryReap(pid);
        }
    }

    /// <summary>This process's children, from each thread's <c>children</c> file (a child belongs to the thread that
    /// forked it, an inherited orphan to one the kernel picked): a handful of reads, where scanning all of /proc read
    /// the status of every process on the host.</summary>
    static IEnumerable<int> Children()
    {
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            string listed;
            try { listed = File.ReadAllText(Path.Combine(task, "children")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; } // the thread ended
            foreach (var field in listed.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (int.TryParse(field, out int pid)) yield return pid;
        }
    }

    public static void Become()
    {
        if (Interlocked.Exchange(ref _done, 1) == 1) return;
        if (Syscalls.prctl(Syscalls.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
            throw LinuxException.FromLastError("prctl PR_SET_CHILD_SUBREAPER");
    }
}
