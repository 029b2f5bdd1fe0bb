namespace Lab.Runtime.Cgroups;

/// <summary>Reading and writing cgroupfs files, with errors that name the file.</summary>
internal static class CgroupFiles
{
    public static void Write(string dir, string file, string value)
    {
        var path = Path.Combine(dir, file);
        try { File.WriteAllText(path, value); }
        catch (IOException e) { throw new IOException($"write '{value}' to {path}: {e.Message}", e); }
    }

    public static bool TryWrite(string dir, string file, string value)
    {
        try { File.WriteAllText(Path.Combine(dir, file), value); return true; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }

    public static long ReadLong(string dir, string file)
    {
        var path = Path.Combine(dir, file);
        if (!File.Exists(path)) return 0;
        var text = File.ReadAllText(path).Trim();
        return text == "max" ? long.MaxValue : long.TryParse(text, out var v) ? v : 0;
    }

    /// <summary>Reads one key of a flat keyed file ("key value" lines) such as memory.events or cpu.stat.</summary>
    public static long ReadKey(string dir, string file, string key)
    {
        var path = Path.Combine(dir, file);
        if (!File.Exists(path)) return 0;
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], out var v)) return v;
        }
        return 0;
    }

    /// <summary>Every key of a flat keyed file (memory.stat, cpu.stat, cgroup.events); empty when it is absent.</summary>
    public static IReadOnlyDictionary<string, long> ReadKeys(string dir, string file)
    {
        var result = new Dictionary<string, long>();
        var path = Path.Combine(dir, file);
        if (!File.Exists(path)) return result;
        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && long.TryParse(parts[1], out var v)) result[parts[0]] = v;
        }
        return result;
    }

    public static string ReadText(string dir, string file)
    {
        var path = Path.Combine(dir, file);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : "";
    }

    /// <summary>Polls a kernel state until it holds. The freezer has no blocking interface: runc and crun poll too.</summary>
    public static bool WaitUntil(Func<bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        for (int delay = 1; ; delay = Math.Min(delay * 2, 20))
        {
            if (done()) return true;
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(delay);
        }
    }

    /// <summary>The processes of a cgroup; none when it is gone, even if it went while being read (a container's
    /// cgroup is removed when it exits, concurrently with its machine's being swept).</summary>
    public static IReadOnlyList<int> Procs(string dir)
    {
        try
        {
            return File.ReadAllLines(Path.Combine(dir, "cgroup.procs"))
                .Select(l => int.TryParse(l, out var p) ? p : 0).Where(p => p > 0).ToList();
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            return [];
        }
    }

    /// <summary>Removes a cgroup and its child cgroups (a machine's containers), deepest first, retrying while the
    /// kernel still tears down its last tasks (EBUSY).</summary>
    public static void RemoveDir(string dir)
    {
        foreach (var child in SubCgroups(dir)) RemoveDir(child);
        for (int attempt = 0; ; attempt++)
        {
            if (!Directory.Exists(dir)) return;
            try { Directory.Delete(dir); return; }
            catch (IOException) when (attempt < 1000) { Thread.Sleep(2); }
        }
    }

    /// <summary>Removes a cgroup and its child cgroups once, without waiting: false when one is still busy (a process
    /// joined it), true when they are gone (or never existed).</summary>
    public static bool TryRemoveDir(string dir)
    {
        foreach (var child in SubCgroups(dir))
            if (!TryRemoveDir(child)) return false;
        try { Directory.Delete(dir); return true; }
        catch (DirectoryNotFoundException) { return true; }
        catch (IOException) { return false; }
    }

    /// <summary>The processes of a cgroup and of every cgroup below it.</summary>
    public static IReadOnlyList<int> ProcsRecursive(string dir) => [.. Procs(dir), .. SubCgroups(dir).SelectMany(ProcsRecursive)];

    private static string[] SubCgroups(string dir)
    {
        try { return Directory.GetDirectories(dir); }
        catch (DirectoryNotFoundException) { return []; }
    }

    /// <summary>The cgroup path of this process in a hierarchy ("" for v2's "0::" line), from /proc/self/cgroup.</summary>
    public static string OwnPath(string controllerOrEmpty)
    {
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3) continue;
            bool match = controllerOrEmpty.Length == 0
                ? parts[0] == "0" && parts[1].Length == 0
                : parts[1].Split(',').Contains(controllerOrEmpty);
            if (match) return parts[2];
        }
        return "/";
    }
}
