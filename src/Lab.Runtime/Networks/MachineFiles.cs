using System.Text;
using Lab.Runtime.Native;

namespace Lab.Runtime.Networks;

/// <summary>Writes small files inside a lab machine's root from the host (a container's hosts, resolv.conf and
/// hostname under /var/lib/lab/containers/ID). Every directory is resolved in the machine's root (RESOLVE_IN_ROOT),
/// and the file itself is opened O_NOFOLLOW: a symlink planted by the student cannot lead the write out.</summary>
internal static class MachineFiles
{
    public static void Write(int machinePid, string dir, IReadOnlyDictionary<string, string> files)
    {
        using var root = ResolveInRoot.OpenRoot($"/proc/{machinePid}/root");
        var path = "";
        foreach (var part in dir.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            using var parent = ResolveInRoot.OpenPath(root, path.Length == 0 ? "/" : path)
                ?? throw new LabException(ErrorKind.Internal, $"'{path}' vanished in the machine");
            path += "/" + part;
            FsWrites.MakeDirectory(parent, part, 0x1ed /* 0755 */, path); // false: it was there already
        }
        using var target = ResolveInRoot.OpenPath(root, dir)
            ?? throw new LabException(ErrorKind.Internal, $"'{dir}' vanished in the machine");
        foreach (var (name, content) in files)
        {
            using var file = FsWrites.CreateOrTruncate(target, name, 0x1a4 /* 0644 */, $"{dir}/{name}");
            file.WriteAll(Encoding.UTF8.GetBytes(content));
        }
    }

    /// <summary>A file of the machine (its /etc/hosts, /etc/resolv.conf), or "" when it has none.</summary>
    public static string Read(int machinePid, string path)
    {
        using var root = ResolveInRoot.OpenRoot($"/proc/{machinePid}/root");
        return ResolveInRoot.Read(root, path, 64 * 1024) is { IsRegular: true } file ? Encoding.UTF8.GetString(file.Content) : "";
    }
}
