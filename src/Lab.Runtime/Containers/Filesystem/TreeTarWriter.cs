using System.Formats.Tar;
using Lab.Runtime.Archives;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Native;
using Microsoft.Win32.SafeHandles;
using static Lab.Runtime.Native.OpenFlags;

namespace Lab.Runtime.Containers.Filesystem;

/// <summary>Writes a tree reached through descriptors as tar entries (PAX): parents before children, names in
/// ordinal order, owners, modes, mtimes, symlinks as links (never followed), hard links as links to the first name,
/// device nodes and FIFOs as such, sockets skipped (as Docker skips them). With <see cref="OverlayDiff"/> the tree is
/// an overlay upper dir and is written as an OCI layer: a whiteout (0/0 character device) becomes
/// <c>.wh.&lt;name&gt;</c> and an opaque directory gets a <c>.wh..wh..opq</c> entry. Files and directories carry
/// their extended attributes as raw SCHILY.xattr records (<see cref="TarXattrs"/> says which).</summary>
internal sealed class TreeTarWriter(XattrTarWriter tar, CancellationToken ct)
{
    readonly Dictionary<(ulong, ulong), string> _firstNames = new();

    /// <summary>The tree is an overlay upper dir: write whiteouts and opaque markers as an OCI layer does.</summary>
    public bool OverlayDiff { get; init; }

    /// <summary>Entries below the top to leave out, by their name in the tar (a mount point's contents).</summary>
    public Func<string, Inode, bool>? Skip { get; init; }

    /// <summary>Directories written without their contents (a mount point: /proc, a volume).</summary>
    public Func<Inode, bool>? StopAt { get; init; }

    /// <summary>The children of <paramref name="dir"/> (an O_PATH or real directory descriptor), named below
    /// <paramref name="prefix"/> ("" or "etc/").</summary>
    public async Task WriteChildrenAsync(FileDescriptor dir, string prefix)
    {
        using var listing = FsCalls.Reopen(dir, O_RDONLY | O_DIRECTORY, prefix);
        foreach (var name in FsCalls.ListNames(listing, prefix))
        {
            ct.ThrowIfCancellationRequested();
            using var child = FsCalls.OpenAt(listing, name);
            if (child is null) continue; // gone since the listing
            await WriteAsync(child, prefix + name);
        }
    }

    /// <summary>One entry (and, for a directory, everything below it).</summary>
    public async Task WriteAsync(FileDescriptor entry, string name)
    {
        var st = Inode.Of(entry, name);
        if (Skip?.Invoke(name, st) == true) return;
        if (OverlayDiff && st.IsWhiteout)
        {
            var slash = name.LastIndexOf('/');
            await tar.WriteEntryAsync(Marker(name[..(slash + 1)] + Whiteouts.Prefix + name[(slash + 1)..], st), null, ct);
            return;
        }
        if (st.IsSocket) return;
        if (st.IsRegular && st.Links > 1)
        {
            if (_firstNames.TryGetValue((st.Dev, st.Ino), out var first))
            {
                await tar.WriteEntryAsync(Header(TarEntryType.HardLink, name, st, first), null, ct);
                return;
            }
            _firstNames[(st.Dev, st.Ino)] = name;
        }
        if (st.IsDirectory)
        {
            using var real = FsCalls.Reopen(entry, O_RDONLY | O_DIRECTORY, name);
            var xattrs = Xattrs.All(real);
            var dirName = name.EndsWith('/') ? name : name + "/"; // "/" itself (docker cp c:/ .) stays "/"
            await tar.WriteEntryAsync(Header(TarEntryType.Directory, dirName, st), xattrs, ct);
            if (OverlayDiff && IsOpaque(xattrs))
                await tar.WriteEntryAsync(Marker(dirName + Whiteouts.OpaqueMarker, st), null, ct);
            if (StopAt?.Invoke(st) != true) await WriteChildrenAsync(real, dirName);
            return;
        }
        if (st.IsRegular)
        {
            using var real = FsCalls.Reopen(entry, O_RDONLY | O_NONBLOCK, name);
            var header = Header(TarEntryType.RegularFile, name, st);
            var handle = new SafeFileHandle(real.DangerousGetHandle(), ownsHandle: false);
            await using var data = new FileStream(handle, FileAccess.Read, 1);
            header.DataStream = new BoundedStream(data, st.Size);
            await tar.WriteEntryAsync(header, Xattrs.All(real), ct);
            return;
        }
        var type = st.IsSymlink ? TarEntryType.SymbolicLink : st.IsCharDevice ? TarEntryType.CharacterDevice
            : st.IsBlockDevice ? TarEntryType.BlockDevice : TarEntryType.Fifo;
        var special = Header(type, name, st, st.IsSymlink ? FsCalls.ReadLink(entry, name) : null);
        if (st.IsCharDevice || st.IsBlockDevice)
        {
            special.DeviceMajor = st.Major;
            special.DeviceMinor = st.Minor;
        }
        await tar.WriteEntryAsync(special, null, ct);
    }

    static PaxTarEntry Header(TarEntryType type, string name, Inode st, string? linkName = null)
    {
        var entry = new PaxTarEntry(type, name)
        {
            Mode = (UnixFileMode)st.Permissions,
            Uid = (int)st.Uid,
            Gid = (int)st.Gid,
            ModificationTime = st.ModificationTime,
        };
        if (linkName is not null) entry.LinkName = linkName;
        return entry;
    }

    /// <summary>A whiteout marker: an empty regular file, root's, mode 0, dated like what it stands for.</summary>
    static PaxTarEntry Marker(string name, Inode st) => new(TarEntryType.RegularFile, name)
    {
        Mode = 0,
        ModificationTime = st.ModificationTime,
    };

    static bool IsOpaque(Dictionary<string, byte[]> xattrs) =>
        (xattrs.TryGetValue(Whiteouts.OverlayOpaqueXattr, out var v) || xattrs.TryGetValue("user.overlay.opaque", out v))
        && v.AsSpan().SequenceEqual(Whiteouts.OverlayOpaqueValue);
}
