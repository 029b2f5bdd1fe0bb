using System.Formats.Tar;
using Lab.Runtime.Archives;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Native;

namespace Lab.Runtime.Images.Library;

/// <summary>Writes an overlay upper dir as an OCI layer tar (a "diff"), the way Docker turns a build step's
/// upper dir into a layer: overlay's whiteouts (0/0 character devices) become empty <c>.wh.&lt;name&gt;</c>
/// files, and a directory marked opaque (<c>trusted.overlay.opaque=y</c>) is followed by a
/// <c>.wh..wh..opq</c> entry, so the lower layers' contents stay hidden once the tar is unpacked anywhere.
/// Everything else is written as <see cref="TarLayerWriter"/> writes a root filesystem: relative names in
/// ordinal order, parents first, hard links as links, content xattrs as raw SCHILY.xattr records.</summary>
static class OverlayDiffTar
{
    public static async Task WriteAsync(string upperDir, Stream destination, CancellationToken ct = default)
    {
        await using var tar = new XattrTarWriter(destination);
        await WriteChildrenAsync(tar, Path.GetFullPath(upperDir), "", new Dictionary<(ulong, ulong), string>(), ct);
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
            var st = Inode.OfPath(child.FullName);
            if (st.IsWhiteout)
            {
                await tar.WriteEntryAsync(EmptyFile(relativeDir + Whiteouts.Prefix + child.Name, child.FullName), null, ct);
                continue;
            }

            var isRealDirectory = child is DirectoryInfo && child.LinkTarget is null;
            if (child is FileInfo && child.LinkTarget is null && st.Links > 1
                && linkedFiles.TryGetValue((st.Dev, st.Ino), out var firstName))
            {
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.HardLink, name)
                {
                    LinkName = firstName,
                    Mode = (UnixFileMode)(st.Mode & 0xFFF),
                    ModificationTime = File.GetLastWriteTimeUtc(child.FullName),
                    Uid = (int)st.Uid,
                    Gid = (int)st.Gid,
                }, null, ct);
                continue;
            }
            if (child is FileInfo && st.Links > 1) linkedFiles[(st.Dev, st.Ino)] = name;

            await tar.WriteFileAsync(child.FullName, isRealDirectory ? name + "/" : name, ct);
            if (!isRealDirectory) continue;
            if (IsOpaque(child.FullName))
                await tar.WriteEntryAsync(EmptyFile($"{name}/{Whiteouts.OpaqueMarker}", child.FullName), null, ct);
            await WriteChildrenAsync(tar, child.FullName, name + "/", linkedFiles, ct);
        }
    }

    /// <summary>A whiteout marker: an empty regular file, root's, mode 0, dated like the thing it stands for.</summary>
    static PaxTarEntry EmptyFile(string name, string source) => new(TarEntryType.RegularFile, name)
    {
        Mode = 0,
        ModificationTime = File.GetLastWriteTimeUtc(source),
    };

    static bool IsOpaque(string dir)
    {
        Span<byte> value = stackalloc byte[8];
        return Xattrs.GetNoFollow(dir, Whiteouts.OverlayOpaqueXattr, value) is { } length
            && value[..length].SequenceEqual(Whiteouts.OverlayOpaqueValue);
    }
}
