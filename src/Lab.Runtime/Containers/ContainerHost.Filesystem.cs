using Lab.Runtime.Archives;
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
    /// mtimes, symlinks, hard links and extended attributes (raw bytes) are kept. A container never started has an empty layer.</summary>
    public async Task WriteDiffLayerAsync(string machine, string idOrName, Stream destination, CancellationToken ct)
    {
        var record = Get(machine, idOrName);
        using var upper = OpenUpper(record);
        await using var tar = new XattrTarWriter(destination);
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
            var st = Inode.Of(found, path);
            return st.IsWhiteout ? null : st;
        }
        return null;
    }

    /// <summary>`docker diff`: the container's changes against its image, in moby's order and rules.</summary>
    public Task<IReadOnlyList<FileChange>> ChangesAsync(string machine, string idOrName, CancellationToken ct = default)
    {
        var record = Get(machine, idOrName);
        using var upper = OpenUpper(record);
        if (upper is null) return Task.FromResult<IReadOnlyList<FileChange>>([]);
        var changes = new UpperChanges(path => LowerStat(record, path), (name, st) => IsMountPointDir(record, name, st));
        return Task.FromResult(changes.Collect(upper));
    }

    /// <summary>`docker export`: the container's whole filesystem (image layers and changes merged) as a tar;
    /// what is mounted on it (/proc, /sys, /dev, volumes) is left out, only the mount point dirs are written.</summary>
    public Task ExportAsync(string machine, string idOrName, Stream destination, CancellationToken ct = default) =>
        WithMergedRootAsync(machine, idOrName, async (_, root) =>
        {
            var rootDev = Inode.Of(root, "/").Dev;
            await using var tar = new XattrTarWriter(destination);
            var writer = new TreeTarWriter(tar, ct) { StopAt = st => st.IsDirectory && st.Dev != rootDev };
            await writer.WriteChildrenAsync(root, "");
            return true;
        }, ct);

    /// <summary>HEAD /containers/{id}/archive: what <paramref name="path"/> is (the last component not followed;
    /// a symlink's target fully resolved inside the container).</summary>
    public Task<PathStat> StatPathAsync(string machine, string idOrName, string path, CancellationToken ct = default)
    {
        var where = ContainerPath.Parse(path);
        return WithMergedRootAsync(machine, idOrName, (record, root) =>
        {
            using var entry = OpenEntry(record, root, where);
            return Task.FromResult(StatOf(root, where, entry));
        }, ct);
    }

    /// <summary>GET /containers/{id}/archive: <paramref name="path"/> as a tar whose top entry is named like the
    /// path's last component. <paramref name="open"/> gets the stat first (the header dockerd sends) and returns
    /// where the tar goes.</summary>
    public Task ReadArchiveAsync(string machine, string idOrName, string path, Func<PathStat, Task<Stream>> open,
        CancellationToken ct = default)
    {
        var where = ContainerPath.Parse(path);
        return WithMergedRootAsync(machine, idOrName, async (record, root) =>
        {
            using var entry = OpenEntry(record, root, where);
            var destination = await open(StatOf(root, where, entry));
            await using var tar = new XattrTarWriter(destination);
            await new TreeTarWriter(tar, ct).WriteAsync(entry, where.Name);
            return true;
        }, ct);
    }

    /// <summary>PUT /containers/{id}/archive: unpacks a tar into the directory <paramref name="path"/> (followed
    /// if a symlink, inside the container). Running out of the machine's disk is a clear error naming its size.</summary>
    public Task ExtractArchiveAsync(string machine, string idOrName, string path, Stream archive,
        bool noOverwriteDirNonDir, bool copyUidGid, CancellationToken ct = default)
    {
        var where = ContainerPath.Parse(path);
        return WithMergedRootAsync(machine, idOrName, async (record, root) =>
        {
            using var target = ResolveInRoot.OpenPath(root, where.Absolute) ?? throw NotFoundIn(record, where);
            if (!Inode.Of(target, where.Absolute).IsDirectory)
                throw new LabException(ErrorKind.InvalidParameter, "extraction point is not a directory");
            (int, int)? owner = null;
            if (copyUidGid)
            {
                var user = ImageUsers.Resolve(record.Config.User, record.Layers);
                var ids = (user ?? "0:0").Split(':');
                owner = (int.Parse(ids[0]), int.Parse(ids[1]));
            }
            using var extractor = new TreeExtractor(root, where.Absolute.TrimEnd('.'))
                { NoOverwriteDirNonDir = noOverwriteDirNonDir, Owner = owner };
            try
            {
                await extractor.ExtractAsync(archive, ct);
            }
            catch (Exception e) when (IsOutOfSpace(e))
            {
                throw DiskFull(record, e);
            }
            catch (LinuxException e) when (e.Errno == 30) // EROFS: docker run --read-only
            {
                throw new LabException(ErrorKind.Forbidden, "container rootfs is marked read-only", e);
            }
            return true;
        }, ct);
    }

    internal static bool IsOutOfSpace(Exception e) =>
        e is LinuxException { Errno: 28 or 122 } // ENOSPC, EDQUOT
        || e is IOException io && (io.HResult == 28 || io.Message.Contains("No space left", StringComparison.Ordinal));

    private LabException DiskFull(ContainerRecord record, Exception e)
    {
        var limit = _machines.Find(record.Machine)?.Limits.DiskBytes ?? 0;
        return new LabException(ErrorKind.Conflict,
            $"no space left on device: the lab machine's disk quota ({limit >> 20} MiB) is full", e);
    }

    private static LabException NotFoundIn(ContainerRecord record, ContainerPath where) =>
        new(ErrorKind.NotFound, $"Could not find the file {where.Absolute} in container {record.Name}");

    /// <summary>The entry at <paramref name="where"/>: its directory resolved in the root, its last component not
    /// followed.</summary>
    private static FileDescriptor OpenEntry(ContainerRecord record, FileDescriptor root, ContainerPath where)
    {
        var dir = ResolveInRoot.OpenPath(root, where.Dir) ?? throw NotFoundIn(record, where);
        if (where.Base is "" or ".") return dir;
        using (dir)
            return FsCalls.OpenAt(dir, where.Base) ?? throw NotFoundIn(record, where);
    }

    private static PathStat StatOf(FileDescriptor root, ContainerPath where, FileDescriptor entry)
    {
        var st = Inode.Of(entry, where.Absolute);
        var linkTarget = st.IsSymlink ? LinkResolver.Resolve(root, where.Absolute, FsCalls.ReadLink(entry, where.Absolute)) : "";
        return new PathStat(where.Name, st.Size, PathStat.GoFileMode(st), st.ModificationTime, linkTarget);
    }
}
