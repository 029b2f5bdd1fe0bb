using System.Formats.Tar;
using Lab.Runtime.Archives;
using Lab.Runtime.Native;
using static Lab.Runtime.Native.PathCalls;

namespace Lab.Runtime.Images.Oci;

/// <summary>Writes the entries of one layer tar into an empty directory so that it can serve as an overlayfs
/// lowerdir: modes (with setuid/setgid/sticky), owners, mtimes, symlinks, hard links, device nodes, FIFOs and
/// the content extended attributes (<see cref="TarXattrs"/>, raw bytes) are kept; OCI whiteouts become overlay whiteouts (see <see cref="Whiteouts"/>).
///
/// Nothing is written outside the directory: names are normalized by <see cref="LayerEntryPath"/>, and an entry
/// whose parent is a symlink is refused, since following it is the classic way out of an extraction root. The
/// directory is private to this extraction (under the store's ingest area) until it is complete, so the checks
/// cannot be raced by anyone else. Within the layer, a later entry replaces an earlier one, as tar does.</summary>
sealed class LayerExtractor(string root, string what)
{
    const uint DefaultDirMode = 0b111_101_101;

    readonly HashSet<string> _knownDirs = [""];
    readonly Dictionary<string, DateTimeOffset> _dirTimes = [];

    /// <summary>One entry, with the extended attributes its PAX records carry (<see cref="XattrTarReader"/>).</summary>
    public void Apply(TarEntry entry, IReadOnlyDictionary<string, byte[]> xattrs)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes) return;
        var name = LayerEntryPath.Normalize(entry.Name, what);
        if (name == "") return; // the layer root itself: the store decides its owner and mode
        RefuseSparse(entry);

        var (parent, baseName) = Split(name);
        if (baseName == Whiteouts.OpaqueMarker) { MarkOpaque(parent, entry.Name); return; }
        if (baseName.StartsWith(Whiteouts.MetaPrefix, StringComparison.Ordinal)) return;
        if (baseName.StartsWith(Whiteouts.Prefix, StringComparison.Ordinal))
        {
            WhiteOut(entry, Join(parent, baseName[Whiteouts.Prefix.Length..]));
            return;
        }

        var path = EnsureParents(name, entry.Name);
        var isDirectory = entry.EntryType is TarEntryType.Directory;
        RemoveExisting(name, path, keepDirectory: isDirectory);
        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                WriteFile(path, entry);
                break;
            case TarEntryType.Directory:
                if (TypeOf(path) is null) MakeDirectory(path, DefaultDirMode);
                _knownDirs.Add(name);
                _dirTimes[name] = entry.ModificationTime;
                break;
            case TarEntryType.SymbolicLink:
                SymbolicLink(entry.LinkName, path);
                break;
            case TarEntryType.HardLink:
                HardLink(HardLinkSource(entry), path);
                return; // a hard link shares the inode, owner, mode and times of its source
            case TarEntryType.CharacterDevice:
                MakeNode(path, S_IFCHR, Major(entry), Minor(entry));
                break;
            case TarEntryType.BlockDevice:
                MakeNode(path, S_IFBLK, Major(entry), Minor(entry));
                break;
            case TarEntryType.Fifo:
                MakeNode(path, S_IFIFO, 0, 0);
                break;
            default:
                throw LayerEntryPath.Refuse(what, entry.Name, $"unsupported tar entry type {entry.EntryType}");
        }
        ApplyMetadata(path, entry, xattrs, isSymlink: entry.EntryType is TarEntryType.SymbolicLink, isDirectory);
    }

    /// <summary>Sets directory mtimes last: every entry created inside a directory bumps its mtime.</summary>
    public void Finish()
    {
        foreach (var (name, time) in _dirTimes)
            SetTimes(Join(root, name), time, time);
    }

    void WriteFile(string path, TarEntry entry)
    {
        using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, // O_EXCL: never opens something that appeared in its place
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        entry.DataStream?.CopyTo(file);
    }

    void ApplyMetadata(string path, TarEntry entry, IReadOnlyDictionary<string, byte[]> xattrs, bool isSymlink,
        bool isDirectory)
    {
        // Order matters: chown clears setuid/setgid bits and file capabilities, so mode and xattrs come after it.
        if (Environment.IsPrivilegedProcess) Chown(path, (uint)entry.Uid, (uint)entry.Gid);
        if (!isSymlink) Chmod(path, (uint)entry.Mode & 0xFFF);
        foreach (var (name, value) in xattrs) Xattrs.SetNoFollow(path, name, value);
        if (!isDirectory) SetTimes(path, entry.ModificationTime, entry.ModificationTime); // atime: not worth keeping
    }

    /// <summary>Marks a directory of this layer opaque, creating it if the tar did not (yet).</summary>
    void MarkOpaque(string dirName, string entryName)
    {
        var path = dirName == "" ? root : WalkParents(dirName, entryName, create: true);
        Xattrs.SetNoFollow(path, Whiteouts.OverlayOpaqueXattr, Whiteouts.OverlayOpaqueValue);
    }

    /// <summary>A whiteout hides the entry of a lower layer. If this layer itself has an entry of that name, the
    /// entry wins: a whiteout never applies to its own layer (OCI image spec, layer.md).</summary>
    void WhiteOut(TarEntry entry, string hiddenName)
    {
        var (_, hiddenBase) = Split(hiddenName);
        if (hiddenBase is "" or "." or "..")
            throw LayerEntryPath.Refuse(what, entry.Name, "it is a whiteout without a name to hide");
        var path = EnsureParents(hiddenName, entry.Name);
        if (TypeOf(path) is not null) return;
        MakeNode(path, S_IFCHR, 0, 0);
        if (Environment.IsPrivilegedProcess) Chown(path, (uint)entry.Uid, (uint)entry.Gid);
    }

    string HardLinkSource(TarEntry entry)
    {
        var source = LayerEntryPath.NormalizeLinkSource(entry.LinkName, entry.Name, what);
        if (source == "") throw LayerEntryPath.Refuse(what, entry.Name, "it is a hard link to the layer root");
        var (sourceParent, sourceBase) = Split(source);
        var path = Join(sourceParent == "" ? root : CheckParents(sourceParent, entry.Name), sourceBase);
        var type = TypeOf(path);
        if (type is null)
            throw LayerEntryPath.Refuse(what, entry.Name, $"it is a hard link to '{entry.LinkName}', which is not in this layer");
        if (type == S_IFDIR)
            throw LayerEntryPath.Refuse(what, entry.Name, $"it is a hard link to the directory '{entry.LinkName}'");
        return path;
    }

    /// <summary>Creates the missing parent directories of <paramref name="name"/> (0755, like containerd) and
    /// checks the existing ones are real directories. Returns the entry's full path.</summary>
    string EnsureParents(string name, string entryName)
    {
        var (parent, baseName) = Split(name);
        return Join(parent == "" ? root : WalkParents(parent, entryName, create: true), baseName);
    }

    /// <summary>Checks, without creating anything, that <paramref name="dirName"/> is a real directory path.</summary>
    string CheckParents(string dirName, string entryName) => WalkParents(dirName, entryName, create: false);

    string WalkParents(string dirName, string entryName, bool create)
    {
        var prefix = "";
        foreach (var part in dirName.Split('/'))
        {
            prefix = Join(prefix, part);
            if (_knownDirs.Contains(prefix)) continue;
            var path = Join(root, prefix);
            switch (TypeOf(path))
            {
                case null when create:
                    MakeDirectory(path, DefaultDirMode);
                    break;
                case null:
                    throw LayerEntryPath.Refuse(what, entryName, $"its parent '{prefix}' is not in this layer");
                case S_IFLNK:
                    throw LayerEntryPath.Refuse(what, entryName,
                        $"its parent '{prefix}' is a symlink; a layer entry never writes through a symlink");
                case S_IFDIR:
                    break;
                default:
                    throw LayerEntryPath.Refuse(what, entryName, $"its parent '{prefix}' is not a directory");
            }
            _knownDirs.Add(prefix);
        }
        return Join(root, dirName);
    }

    void RemoveExisting(string name, string path, bool keepDirectory)
    {
        var type = TypeOf(path);
        if (type is null || (type == S_IFDIR && keepDirectory)) return;
        if (type == S_IFDIR)
        {
            Directory.Delete(path, recursive: true);
            _knownDirs.RemoveWhere(d => d == name || d.StartsWith(name + "/", StringComparison.Ordinal));
            foreach (var d in _dirTimes.Keys.Where(d => d == name || d.StartsWith(name + "/", StringComparison.Ordinal)).ToList())
                _dirTimes.Remove(d);
        }
        else
        {
            File.Delete(path); // unlink: removes a symlink itself, never its target
        }
    }

    void RefuseSparse(TarEntry entry)
    {
        if (entry.EntryType is TarEntryType.SparseFile
            || entry is PaxTarEntry pax && pax.ExtendedAttributes.Keys.Any(k => k.StartsWith("GNU.sparse.", StringComparison.Ordinal)))
            throw LayerEntryPath.Refuse(what, entry.Name, "it is a sparse file, which layers do not use");
    }

    // Device entries only exist in the POSIX formats (ustar, pax, gnu), which carry the numbers.
    static uint Major(TarEntry entry) => (uint)((PosixTarEntry)entry).DeviceMajor;
    static uint Minor(TarEntry entry) => (uint)((PosixTarEntry)entry).DeviceMinor;

    static (string Parent, string Base) Split(string name)
    {
        var slash = name.LastIndexOf('/');
        return slash < 0 ? ("", name) : (name[..slash], name[(slash + 1)..]);
    }

    static string Join(string a, string b) => a == "" ? b : b == "" ? a : a + "/" + b;
}
