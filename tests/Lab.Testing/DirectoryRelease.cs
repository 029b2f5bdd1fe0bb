using System.Diagnostics;

namespace Lab.Testing;

/// <summary>Frees a test's temporary directory that processes or mounts may still hold (a private dockerd and its
/// containerd, a killed bench's): kills every process whose command line names it, then lazily unmounts whatever is
/// mounted below it, deepest first, so that it can be deleted.</summary>
public static class DirectoryRelease
{
    public static void Release(string dir)
    {
        foreach (var proc in Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsDigit)))
        {
            string cmdline;
            try { cmdline = File.ReadAllText($"/proc/{proc}/cmdline"); } catch (IOException) { continue; }
            if (cmdline.Contains(dir, StringComparison.Ordinal))
                Lab.Runtime.Native.Signals.Send(int.Parse(proc!), Lab.Runtime.Native.Signals.SIGKILL);
        }
        foreach (var mount in File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4])
                     .Where(m => m.StartsWith(dir, StringComparison.Ordinal)).OrderByDescending(m => m.Length))
            Process.Start("umount", ["-l", mount])?.WaitForExit(); // a test tool, not the runtime: no wrapper needed
    }

    /// <summary><see cref="Release"/>, then delete; false (and the directory left) when it still cannot go.</summary>
    public static bool ReleaseAndDelete(string dir)
    {
        Release(dir);
        try
        {
            Directory.Delete(dir, recursive: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
