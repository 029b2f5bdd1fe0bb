using System.IO.Enumeration;
using Lab.Runtime.Containers;
using Lab.Runtime.Machines;

namespace Lab.Engine.Api;

/// <summary>The size of a container's writable layer (dockerd's SizeRw): the bytes of the files in its upper dir,
/// which lives on the machine's own disk at /var/lib/lab/containers/ID/upper (native/lab-init.c run), reached
/// through the machine init's root (/proc/PID/root) since that disk is mounted in the machine's namespace only.
/// The walk never follows a symbolic link: the tree is the student's.</summary>
public static class SystemDfSizes
{
    public static long WritableLayerSize(MachineInfo? machine, ContainerRecord container)
    {
        if (machine is not { State: MachineState.Running, InitPid: int pid }) return 0;
        if (!System.Text.RegularExpressions.Regex.IsMatch(container.Id, "^[a-f0-9]{64}$")) return 0;
        var upper = $"/proc/{pid}/root/var/lib/lab/containers/{container.Id}/upper";
        if (!Directory.Exists(upper)) return 0;
        var files = new FileSystemEnumerable<long>(upper,
            (ref FileSystemEntry entry) => entry.IsDirectory ? 0 : entry.Length,
            new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 })
        {
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        try
        {
            return files.Sum();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0; // the container or its machine went away during the walk
        }
    }
}
