namespace Lab.Runtime.Native;

/// <summary>/proc/PID/stat, for telling a live process from a reused pid.</summary>
internal static class ProcStat
{
    /// <summary>Start time in clock ticks after boot (field 22), or null when the process does not exist.</summary>
    public static long? StartTime(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return null; }
        // The command name (field 2) may contain spaces and parentheses: count fields after the last ')'.
        var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return rest.Length > 19 && long.TryParse(rest[19], out var ticks) ? ticks : null;
    }

    public static bool IsAlive(int pid, long startTime) => StartTime(pid) == startTime;
}
