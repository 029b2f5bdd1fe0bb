using System.Text.RegularExpressions;
using Lab.Runtime.Native;

namespace Lab.Runtime.Images;

/// <summary>Deletes a build's scratch directory without reaching through mounts. debootstrap mounts /proc and
/// /sys (and in some setups binds the host's /dev) inside the target; if a build dies before unmounting them, a
/// plain recursive delete would walk into those mounts and remove the host's files. So: detach every mount
/// below the directory first, and refuse to delete while any remains.</summary>
public static class ScratchDir
{
    public static void Delete(string path)
    {
        var dir = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (!Directory.Exists(dir)) return;

        foreach (var mountPoint in MountsBelow(dir).OrderByDescending(m => m.Length))
            Mounts.Detach(mountPoint); // false: already gone with a parent; the re-check below decides

        var left = MountsBelow(dir).ToList();
        if (left.Count > 0)
            throw new IOException($"not deleting '{dir}': still mounted below it: {string.Join(", ", left)}");
        Directory.Delete(dir, recursive: true);
    }

    static IEnumerable<string> MountsBelow(string dir) =>
        File.ReadLines("/proc/self/mountinfo")
            .Select(line => Unescape(line.Split(' ')[4]))
            .Where(m => m == dir || m.StartsWith(dir + "/", StringComparison.Ordinal))
            .ToList();

    // mountinfo escapes space, tab, newline and backslash as \ooo octal.
    static string Unescape(string field) =>
        Regex.Replace(field, @"\\([0-7]{3})",
            m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
}
