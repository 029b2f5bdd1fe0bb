using System.Formats.Tar;
using Lab.Runtime.Archives;
using Lab.Runtime.Native;

namespace Lab.Runtime.Images;

/// <summary>Writes a root filesystem as a layer tar, the way OCI layers are laid out: paths relative to the root
/// without a leading "./", directories with a trailing "/", parents before children, names in ordinal order so
/// the same tree always gives the same entry sequence. TarWriter takes each entry's type, mode, uid/gid, mtime,
/// device numbers and symlink target from lstat. It does not detect hard links, so a file met again through
/// another link is written here as a hard-link entry to the first name (the tar stays as small as the tree).
/// Files and directories carry their content xattrs (file capabilities, user.*) as raw SCHILY.xattr records.</summary>
public static class TarLayerWriter
{
    public static async Task WriteAsync(string rootDir, Stream destination, CancellationToken ct = default)
    {
        var root = Path.GetFullPath(rootDir);
        await using var tar = new XattrTarWriter(destination);
        await WriteChildrenAsync(tar, root, relativeDir: "", new Dictionary<(ulong, ulong), string>(), ct);
    }

    static async Task WriteChildrenAsync(XattrTarWriter tar, string dir, string relativeDir,
        Dictionary<(ulong Dev, ulong Ino), string> linkedFiles, CancellationToken ct)
    {
        var children = new DirectoryInfo(dir)
            .EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = FileAttributes.None })
            .OrderBy(c => c.Name, StringComparer.Ordinal);

        foreach (var child in children)
        {
            ct.ThrowIfCancellationRequested();
            var name = relativeDir + child.Name;
            // A symlink to a directory is written as the link itself, never followed.
            var isRealDirectory = child is DirectoryInfo && child.LinkTarget is null;
            try
            {
                if (child is FileInfo && child.LinkTarget is null && HardLinkTarget(child.FullName, name, linkedFiles)
                        is { } firstName)
                    await tar.WriteEntryAsync(HardLinkEntry(child.FullName, name, firstName), null, ct);
                else
                    await tar.WriteFileAsync(child.FullName, isRealDirectory ? name + "/" : name, ct);
            }
            catch (IOException e)
            {
                throw new IOException($"cannot add '{child.FullName}' to the layer tar: {e.Message}", e);
            }
            if (isRealDirectory)
                await WriteChildrenAsync(tar, child.FullName, name + "/", linkedFiles, ct);
        }
    }

    /// <summary>The entry name this file was first written under, if it is a further link to the same inode;
    /// otherwise remembers it (when it has several links) and returns null.</summary>
    static string? HardLinkTarget(string path, string name, Dictionary<(ulong, ulong), string> linkedFiles)
    {
        var st = Inode.OfPath(path);
        if (st.Links < 2) return null;
        if (linkedFiles.TryGetValue((st.Dev, st.Ino), out var first)) return first;
        linkedFiles[(st.Dev, st.Ino)] = name;
        return null;
    }

    static PaxTarEntry HardLinkEntry(string path, string name, string firstName)
    {
        var st = Inode.OfPath(path);
        return new PaxTarEntry(TarEntryType.HardLink, name)
        {
            LinkName = firstName,
            Mode = (UnixFileMode)(st.Mode & 0xFFF),
            ModificationTime = File.GetLastWriteTimeUtc(path),
            Uid = (int)st.Uid,
            Gid = (int)st.Gid,
        };
    }
}
