using System.IO.Enumeration;
using Lab.Runtime.Containers;
using Lab.Runtime.Machines;
using Lab.Runtime.Native;

namespace Lab.Engine.Api;

/// <summary>Sizes for <c>docker system df</c>, of trees that live on a machine's own disk (mounted in the machine's
/// namespace only): a container's writable layer (dockerd's SizeRw, /var/lib/lab/containers/ID/upper, see
/// native/lab-init.c run) and a volume's data. The tree is the student's: its top is opened with RESOLVE_IN_ROOT
/// from the machine init's root (an absolute symlink planted on the way cannot lead to the host's files, as it
/// would through a plain /proc/PID/root path), and the walk never follows a symbolic link.</summary>
public static class SystemDfSizes
{
    public static long WritableLayerSize(MachineInfo? machine, ContainerRecord container)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(container.Id, "^[a-f0-9]{64}$")) return 0;
        return TreeSize(machine, $"/var/lib/lab/containers/{container.Id}/upper");
    }

    /// <summary>The bytes of the files below <paramref name="path"/> in a running machine; 0 when it is missing or
    /// the machine or the tree goes away during the walk.</summary>
    public static long TreeSize(MachineInfo? machine, string path)
    {
        if (machine is not { State: MachineState.Running, InitPid: int pid }) return 0;
        try
        {
            using var root = ResolveInRoot.OpenRoot($"/proc/{pid}/root");
            using var top = ResolveInRoot.OpenPath(root, path);
            if (top is null) return 0;
            var files = new FileSystemEnumerable<long>($"/proc/self/fd/{top.Fd}",
                (ref FileSystemEntry entry) => entry.IsDirectory ? 0 : entry.Length,
                new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
            {
                ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
            };
            return files.Sum();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LinuxException)
        {
            return 0;
        }
    }
}
