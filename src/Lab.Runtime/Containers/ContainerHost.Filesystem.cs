using System.Formats.Tar;
using Lab.Runtime.Containers.Filesystem;
using Lab.Runtime.Native;

namespace Lab.Runtime.Containers;

/// <summary>A container's files as `docker commit`, `docker diff`, `docker export` and `docker cp` see them. The
/// writable layer (overlay upper dir) lives on the machine's disk at /var/lib/lab/containers/&lt;id&gt;/upper,
/// mounted only in the machine's mount namespace: it is reached from the host through /proc/&lt;machine
/// init&gt;/root with RESOLVE_IN_ROOT, and below it one name at a time without following symlinks.</summary>
public sealed partial class ContainerHost
{
    /// <summary>The directories lab-init makes in every container's root for its mounts (/proc, /sys, /dev): like
    /// dockerd's init layer, they are not the container's changes.</summary>
    static readonly string[] MountPointDirs = ["proc", "sys", "dev"];

    /// <summary>The container's writable layer as an uncompressed OCI layer tar (what `docker commit` stores):
    /// overlay whiteouts become <c>.wh.&lt;name&gt;</c>, opaque directories get <c>.wh..wh..opq</c>; owners, modes,
    /// mtimes, symlinks, hard links and text xattrs are kept. A container never started has an empty layer.</summary>
    public async Task WriteDiffLayerAsync(string machine, string idOrName, Stream destination, CancellationToken ct)
    {
        var record = Get(machine, idOrName);
        using var upper = OpenUpper(record);
        await using var tar = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
        if (upper is null) return;
        var writer = new TreeTarWriter(tar, ct) { OverlayDiff = true, Skip = (name, st) => IsMountPointDir(record, name, st) };
        await writer.WriteChildrenAsync(upper, "");
    }

    /// <summary>The container's upper dir, opened O_PATH from the host; null when the container never ran.</summary>
    private FileDescriptor? OpenUpper(ContainerRecord record)
    {
        int machinePid = _machines.InitPidOf(record.Machine);
        using var root = ResolveInRoot.OpenRoot($"/proc/{machinePid}/root");
        return ResolveInRoot.OpenPath(root, $"/var/lib/lab/containers/{record.Id}/upper");
    }

    /// <summary>A top-level /proc, /sys or /dev the image does not have: made by lab-init to mount on.</summary>
    private static bool IsMountPointDir(ContainerRecord record, string name, Inode st) =>
        st.IsDirectory && MountPointDirs.Contains(name) && !LowerLayersHave(record, name);

    /// <summary>Whether any image layer of the container has <paramref name="path"/> (resolved inside each layer,
    /// so a symlink in a layer never leads to the host's files).</summary>
    internal static bool LowerLayersHave(ContainerRecord record, string path) => LowerStat(record, path) is not null;

    /// <summary>The topmost lower layer's inode at <paramref name="path"/>, or null when none has it (or a higher
    /// layer deleted it).</summary>
    internal static Inode? LowerStat(ContainerRecord record, string path)
    {
        foreach (var layer in record.Layers) // top first
        {
            using var root = ResolveInRoot.OpenRoot(layer);
            using var found = ResolveInRoot.OpenPath(root, path);
            if (found is null) continue;
            var st = FsCalls.Stat(found, path);
            return st.IsWhiteout ? null : st;
        }
        return null;
    }
}
