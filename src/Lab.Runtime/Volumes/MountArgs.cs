using System.Text;
using Lab.Runtime.Containers;

namespace Lab.Runtime.Volumes;

/// <summary>A container's mounts as arguments of a run request to the machine's lab-init agent (see native/lab-init.c, apply_mounts): `--mount
/// SRC:DST:OPTS` for binds and volumes, `--tmpfs DST:OPTS`, ':' and '\' in paths escaped with '\'. Parents come
/// before children (dockerd sorts by the number of path separators), so `-v a:/data -v b:/data/sub` nests.</summary>
public static class MountArgs
{
    public static IReadOnlyList<string> For(IReadOnlyList<ContainerMount> mounts)
    {
        var args = new List<string>();
        foreach (var m in mounts.OrderBy(m => Depth(m.Target)))
        {
            if (m.Type == ContainerMount.Tmpfs)
            {
                args.Add("--tmpfs");
                args.Add($"{Escape(m.Target)}:{string.Join(',', TmpfsOptions(m))}");
                continue;
            }
            var opts = new List<string>();
            if (m.ReadOnly) opts.Add("ro");
            string source = m.Source;
            if (m.Type == ContainerMount.Volume)
            {
                // Lab.Runtime made every component of a volume's path: a symlink there is a student's trick.
                source = VolumePaths.DataDir(m.Source);
                opts.AddRange(["nosymlinks", "mksrc"]);
                if (!m.NoCopy) opts.Add("copyup");
            }
            else if (m.CreateSource) opts.Add("mksrc");
            args.Add("--mount");
            args.Add($"{Escape(source)}:{Escape(m.Target)}:{string.Join(',', opts)}");
        }
        return args;
    }

    // dockerd (daemon/oci_linux.go): noexec, nosuid, nodev first, then what was asked (so "exec" wins).
    private static IEnumerable<string> TmpfsOptions(ContainerMount m)
    {
        var opts = new List<string> { "noexec", "nosuid", "nodev" };
        if (m.ReadOnly) opts.Add("ro");
        if (m.TmpfsSize > 0) opts.Add($"size={m.TmpfsSize}");
        if (m.TmpfsMode is int mode) opts.Add($"mode={Convert.ToString(mode, 8)}");
        opts.AddRange(m.TmpfsOptions);
        return opts;
    }

    private static int Depth(string target) => target.TrimEnd('/').Count(c => c == '/');

    public static string Escape(string path)
    {
        var sb = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            if (c is ':' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
