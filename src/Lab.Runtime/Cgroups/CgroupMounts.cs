namespace Lab.Runtime.Cgroups;

/// <summary>Where the host mounted its cgroup hierarchies, read from /proc/self/mountinfo.</summary>
internal sealed record CgroupMount(string MountPoint, string Root, string FsType, IReadOnlyList<string> Controllers)
{
    public static IReadOnlyList<CgroupMount> Read()
    {
        var result = new List<CgroupMount>();
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // "36 25 0:31 / /sys/fs/cgroup/memory rw,... shared:14 - cgroup cgroup rw,memory"
            var sep = line.IndexOf(" - ", StringComparison.Ordinal);
            if (sep < 0) continue;
            var left = line[..sep].Split(' ');
            var right = line[(sep + 3)..].Split(' ');
            if (right.Length < 3 || (right[0] != "cgroup" && right[0] != "cgroup2")) continue;
            var controllers = right[0] == "cgroup2"
                ? []
                : right[2].Split(',').Where(o => o is not ("rw" or "ro") && !o.Contains('=')).ToList();
            result.Add(new CgroupMount(Unescape(left[4]), Unescape(left[3]), right[0], controllers));
        }
        return result;
    }

    /// <summary>Directory of this process's own cgroup inside this mount.</summary>
    public string OwnDirectory(string ownPath)
    {
        var relative = ownPath;
        if (Root != "/" && relative.StartsWith(Root, StringComparison.Ordinal)) relative = relative[Root.Length..];
        return MountPoint + relative.TrimEnd('/');
    }

    private static string Unescape(string s) => s.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\134", "\\");
}
