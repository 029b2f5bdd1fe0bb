using Lab.Runtime.Native;
using static Lab.Runtime.Native.OpenFlags;

namespace Lab.Runtime.Archives;

/// <summary>The content extended attributes (<see cref="TarXattrs"/>) of a host file or directory, by path, read
/// and set through a descriptor of the entry itself (never following a symlink in its last component): what a
/// recipe's tree or a build context's file carries into a layer. Other file types carry none.</summary>
public static class HostXattrs
{
    const uint S_IFREG = 0x8000, S_IFDIR = 0x4000;

    public static IReadOnlyDictionary<string, byte[]> Read(string path)
    {
        using var entry = Open(path);
        return entry is null ? new Dictionary<string, byte[]>()
            : Xattrs.All(entry).Where(x => TarXattrs.IsContent(x.Key)).ToDictionary();
    }

    /// <summary>Sets the content ones among <paramref name="xattrs"/>; like moby, one the filesystem refuses (EPERM,
    /// EOPNOTSUPP) is left out rather than failing.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, byte[]> xattrs)
    {
        if (xattrs.Count == 0) return;
        using var entry = Open(path) ?? throw new IOException($"cannot set extended attributes on '{path}': not a file or directory");
        foreach (var (name, value) in xattrs.Where(x => TarXattrs.IsContent(x.Key)))
            Xattrs.Set(entry, name, value, path);
    }

    static FileDescriptor? Open(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var type = Inode.OfPath(full).Type;
        if (type is not (S_IFREG or S_IFDIR)) return null;
        using var dir = ResolveInRoot.OpenRoot(Path.GetDirectoryName(full)!);
        return FsCalls.OpenAt(dir, Path.GetFileName(full), O_RDONLY | O_NONBLOCK);
    }
}
