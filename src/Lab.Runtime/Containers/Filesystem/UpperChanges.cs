using Lab.Runtime.Native;
using static Lab.Runtime.Native.OpenFlags;

namespace Lab.Runtime.Containers.Filesystem;

/// <summary>The changes of a container from its overlay upper dir, with moby's rules (pkg/archive/changes.go,
/// overlay flavour): a whiteout is a deletion; an entry a lower layer has is a modification, except a directory
/// whose size, mode and mtime are unchanged (it is only there as the parent of a change); anything else is an
/// addition; and the parent of a change is always listed as modified (before it), as `docker diff` shows it.</summary>
internal sealed class UpperChanges(Func<string, Inode?> lowerStat, Func<string, Inode, bool> skip)
{
    readonly List<FileChange> _changes = [];
    readonly HashSet<string> _changedDirs = new(StringComparer.Ordinal);

    public IReadOnlyList<FileChange> Collect(FileDescriptor upper)
    {
        Walk(upper, "");
        return _changes;
    }

    void Walk(FileDescriptor dir, string prefix)
    {
        using var listing = FsCalls.Reopen(dir, O_RDONLY | O_DIRECTORY, prefix);
        foreach (var name in FsCalls.ListNames(listing, prefix))
        {
            using var child = FsCalls.OpenAt(listing, name);
            if (child is null) continue;
            var relative = prefix + name;
            var path = "/" + relative;
            var st = Inode.Of(child, relative);
            if (skip(relative, st)) continue;
            if (!Record(path, st)) continue;
            if (st.IsDirectory) Walk(child, relative + "/");
        }
    }

    /// <summary>Records the entry; false for a directory that is unchanged (its children may still be changes).</summary>
    bool Record(string path, Inode st)
    {
        ChangeKind kind;
        if (st.IsWhiteout) kind = ChangeKind.Deleted;
        else if (lowerStat(path) is { } lower)
        {
            if (st.IsDirectory && lower.IsDirectory && st.Size == lower.Size && st.Mode == lower.Mode
                && st.ModificationTime == lower.ModificationTime)
                return true;
            kind = ChangeKind.Modified;
        }
        else kind = ChangeKind.Added;
        if (st.IsDirectory) _changedDirs.Add(path);
        var parent = Path.GetDirectoryName(path)!;
        if (parent != "/" && _changedDirs.Add(parent)) _changes.Add(new FileChange(parent, ChangeKind.Modified));
        _changes.Add(new FileChange(path, kind));
        return true;
    }
}
