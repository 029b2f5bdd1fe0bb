using System.Formats.Tar;
using Lab.Runtime.Archives;
using Lab.Runtime.Native;
using Microsoft.Win32.SafeHandles;
using static Lab.Runtime.Native.OpenFlags;

namespace Lab.Runtime.Containers.Filesystem;

/// <summary>Unpacks a tar into a directory of a container's root (`docker cp` into a container), with moby's rules
/// (pkg/archive Untar): parents made as needed (0755), an existing entry replaced unless both are directories, and
/// with <see cref="NoOverwriteDirNonDir"/> a directory never replaced by a non-directory nor the reverse. Every
/// parent is resolved inside the root (RESOLVE_IN_ROOT) and every entry is made with one *at call on its parent's
/// descriptor, never following a symlink: an archive (or a student racing it) cannot write outside the container.
/// An entry whose name climbs out with ".." is refused; device nodes are refused (a lab container gets no devices).
/// Files and directories get the extended attributes their SCHILY.xattr records carry, byte for byte, after their
/// owner (chown clears file capabilities); like moby, a filesystem that refuses one (EPERM, ENOTSUP) is no error.</summary>
internal sealed class TreeExtractor(FileDescriptor root, string destination) : IDisposable
{
    readonly Dictionary<string, FileDescriptor> _dirs = new(StringComparer.Ordinal);
    readonly List<(string Path, DateTimeOffset Mtime)> _dirTimes = [];

    public bool NoOverwriteDirNonDir { get; init; }

    /// <summary>Owner given to every entry (copyUIDGID: the container's user); null keeps the archive's.</summary>
    public (int Uid, int Gid)? Owner { get; init; }

    public async Task ExtractAsync(Stream archive, CancellationToken ct)
    {
        await using var reader = new XattrTarReader(archive);
        TarEntry? entry;
        while ((entry = await NextAsync(reader, ct)) is not null)
        {
            ct.ThrowIfCancellationRequested();
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes) continue;
            var relative = Relative(entry.Name);
            if (relative.Length == 0) continue; // the destination itself
            await ExtractAsync(entry, reader.Xattrs, relative, ct);
        }
        for (int i = _dirTimes.Count - 1; i >= 0; i--) // after their contents, which change them
            if (ResolveInRoot.OpenPath(root, _dirTimes[i].Path) is { } dir)
                using (dir) FsWrites.SetTimes(dir, _dirTimes[i].Mtime, _dirTimes[i].Path);
    }

    static async Task<TarEntry?> NextAsync(XattrTarReader reader, CancellationToken ct)
    {
        try
        {
            return await reader.GetNextEntryAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new LabException(ErrorKind.InvalidParameter, $"the archive is not a readable tar: {e.Message}");
        }
    }

    /// <summary>The entry's path below the destination, without "./" or a leading "/"; ".." is refused.</summary>
    static string Relative(string name)
    {
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Contains(".."))
            throw new LabException(ErrorKind.InvalidParameter, $"archive entry \"{name}\" would be written outside the destination");
        return string.Join('/', parts);
    }

    string Full(string relative) => destination.TrimEnd('/') + "/" + relative;

    async Task ExtractAsync(TarEntry entry, IReadOnlyDictionary<string, byte[]> xattrs, string relative,
        CancellationToken ct)
    {
        var slash = relative.LastIndexOf('/');
        var parent = Directory(slash < 0 ? destination : Full(relative[..slash]));
        var name = slash < 0 ? relative : relative[(slash + 1)..];
        var path = Full(relative);
        bool isDir = entry.EntryType == TarEntryType.Directory;
        using (var existing = FsCalls.OpenAt(parent, name))
        {
            if (existing is not null)
            {
                var st = Inode.Of(existing, path);
                if (NoOverwriteDirNonDir && st.IsDirectory && !isDir)
                    throw new LabException(ErrorKind.InvalidParameter, $"cannot overwrite directory \"{path}\" with non-directory \"{entry.Name}\"");
                if (NoOverwriteDirNonDir && !st.IsDirectory && isDir)
                    throw new LabException(ErrorKind.InvalidParameter, $"cannot overwrite non-directory \"{path}\" with directory \"{entry.Name}\"");
                if (!(st.IsDirectory && isDir)) Remove(parent, name, st.IsDirectory, path);
            }
        }
        var (uid, gid) = Owner ?? (entry.Uid, entry.Gid);
        var mode = (uint)entry.Mode & 0xFFF;
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                FsWrites.MakeDirectory(parent, name, mode, path);
                using (var dir = Required(parent, name, O_RDONLY | O_DIRECTORY, path))
                {
                    Own(dir, uid, gid, mode, path);
                    SetXattrs(dir, xattrs, path);
                    _dirTimes.Add((path, entry.ModificationTime));
                }
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                using (var file = FsWrites.CreateNew(parent, name, 0x180 /* 0600 until Own */, path))
                {
                    if (entry.DataStream is { } data)
                    {
                        await using var output = new FileStream(new SafeFileHandle(file.DangerousGetHandle(), ownsHandle: false), FileAccess.Write, 1);
                        await data.CopyToAsync(output, ct);
                    }
                    Own(file, uid, gid, mode, path);
                    SetXattrs(file, xattrs, path);
                    FsWrites.SetTimes(file, entry.ModificationTime, path);
                }
                break;
            case TarEntryType.SymbolicLink:
                FsWrites.Symlink(parent, name, entry.LinkName, path);
                FsWrites.ChownEntry(parent, name, (uint)uid, (uint)gid, path);
                break;
            case TarEntryType.HardLink:
                var source = Relative(entry.LinkName);
                using (var target = source.Length > 0 ? ResolveInRoot.OpenPath(root, Full(source)) : null)
                {
                    if (target is null || !Inode.Of(target, source).IsRegular)
                        throw new LabException(ErrorKind.InvalidParameter, $"archive entry \"{entry.Name}\" links to \"{entry.LinkName}\", which is not a file the archive wrote");
                    FsWrites.Link(target, parent, name, path);
                }
                break;
            case TarEntryType.Fifo:
                FsWrites.MakeFifo(parent, name, mode, path);
                using (var fifo = Required(parent, name, O_PATH, path)) Own(fifo, uid, gid, mode, path, pathOnly: true);
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                throw new LabException(ErrorKind.InvalidParameter, $"archive entry \"{entry.Name}\" is a device node: devices cannot be copied into a lab container");
            default:
                break; // PAX/GNU metadata entries the reader already applied
        }
    }

    /// <summary>A directory of the destination, resolved in the root (symlinks followed inside it) or made.</summary>
    FileDescriptor Directory(string path)
    {
        if (_dirs.TryGetValue(path, out var known)) return known;
        var fd = ResolveInRoot.OpenPath(root, path);
        if (fd is null)
        {
            var slash = path.LastIndexOf('/');
            var parent = Directory(slash <= 0 ? "/" : path[..slash]);
            var name = path[(slash + 1)..];
            FsWrites.MakeDirectory(parent, name, 0x1ED, path);
            // EEXIST and still unresolvable: a symlink to nowhere (or to a non-directory) sits there.
            fd = FsCalls.OpenAt(parent, name, O_PATH | O_DIRECTORY)
                ?? throw new LabException(ErrorKind.InvalidParameter,
                    $"cannot extract into \"{path}\": it is a symlink to a directory that does not exist in the container");
        }
        else if (!Inode.Of(fd, path).IsDirectory)
        {
            fd.Dispose();
            throw new LabException(ErrorKind.InvalidParameter, $"cannot extract into \"{path}\": it is not a directory");
        }
        return _dirs[path] = fd;
    }

    static FileDescriptor Required(FileDescriptor parent, string name, int flags, string path) =>
        FsCalls.OpenAt(parent, name, flags) ?? throw new LabException(ErrorKind.Conflict, $"\"{path}\" vanished while it was extracted");

    void Remove(FileDescriptor parent, string name, bool isDirectory, string path)
    {
        if (isDirectory)
        {
            using var dir = Required(parent, name, O_PATH | O_DIRECTORY, path);
            using var listing = FsCalls.Reopen(dir, O_RDONLY | O_DIRECTORY, path);
            foreach (var child in FsCalls.ListNames(listing, path))
            {
                using var c = FsCalls.OpenAt(listing, child);
                if (c is not null) Remove(listing, child, Inode.Of(c, path + "/" + child).IsDirectory, path + "/" + child);
            }
            foreach (var key in _dirs.Keys.Where(k => k == path || k.StartsWith(path + "/", StringComparison.Ordinal)).ToList())
            {
                _dirs[key].Dispose();
                _dirs.Remove(key);
            }
        }
        FsWrites.Remove(parent, name, isDirectory, path);
    }

    /// <summary>Owner then mode (chown clears set-id bits), on the very inode just made.</summary>
    static void Own(FileDescriptor fd, int uid, int gid, uint mode, string path, bool pathOnly = false)
    {
        if (pathOnly)
        {
            FsWrites.ChownPathFd(fd, (uint)uid, (uint)gid, path);
            FsWrites.ChmodPathFd(fd, mode, path);
            return;
        }
        FsWrites.Chown(fd, (uint)uid, (uint)gid, path);
        FsWrites.Chmod(fd, mode, path);
    }

    static void SetXattrs(FileDescriptor fd, IReadOnlyDictionary<string, byte[]> xattrs, string path)
    {
        foreach (var (name, value) in xattrs) Xattrs.Set(fd, name, value, path);
    }

    public void Dispose()
    {
        foreach (var fd in _dirs.Values) fd.Dispose();
        _dirs.Clear();
    }
}
