using Lab.Runtime.Native;

namespace Lab.Runtime.Volumes;

public sealed partial class VolumeHost
{
    /// <summary>A volume's data directory opened from the machine's root with RESOLVE_IN_ROOT, for a grader's
    /// <see cref="ResolveInRoot"/> reads: no symlink a student left on /var/lib/lab/volumes/NAME/_data can lead
    /// outside the machine (a plain host path through /proc/PID/root would resolve an absolute symlink on the host).
    /// The caller disposes it as soon as the read is done: while open it keeps the machine's disk mounted, and a
    /// machine stopping waits for its disk's release. Null when the volume or its directory is missing.</summary>
    public FileDescriptor? OpenDataDir(string machine, string name)
    {
        if (Find(machine, name) is null) return null;
        using var root = ResolveInRoot.OpenRoot($"/proc/{Machines.InitPidOf(machine)}/root");
        return ResolveInRoot.OpenPath(root, VolumePaths.DataDir(name));
    }
}
