using Lab.Runtime.Native;

namespace Lab.Runtime.Volumes;

public sealed partial class VolumeHost
{
    /// <summary>A host path naming a volume's data directory for a grader's <see cref="ResolveInRoot"/> reads:
    /// <c>/proc/self/fd/N</c> of a descriptor opened from the machine's root with RESOLVE_IN_ROOT, so no symlink a
    /// student left on /var/lib/lab/volumes/NAME/_data can lead outside the machine (a plain host path through
    /// /proc/PID/root would resolve an absolute symlink on the host). The descriptor is held for
    /// <paramref name="hold"/> (the read that follows), then closed. Null when the volume or its directory is missing.</summary>
    public string? HoldDataDir(string machine, string name, TimeSpan? hold = null)
    {
        if (Find(machine, name) is null) return null;
        using var root = ResolveInRoot.OpenRoot($"/proc/{Machines.InitPidOf(machine)}/root");
        var dir = ResolveInRoot.OpenPath(root, VolumePaths.DataDir(name));
        if (dir is null) return null;
        // Short: the descriptor keeps the machine's disk mounted, and a machine stopping waits for its disk's release.
        _ = Task.Delay(hold ?? TimeSpan.FromSeconds(3)).ContinueWith(_ => dir.Dispose(), TaskScheduler.Default);
        return $"/proc/self/fd/{dir.Fd}";
    }
}
