using System.Text;
using Tmds.Linux;

namespace Lab.Runtime.Native;

/// <summary>What stat(2) says about one inode: the one managed shape of struct stat in the code base (the BCL does
/// not expose owners, link counts, inode or device numbers). <see cref="Of"/> asks a descriptor (fstat),
/// <see cref="OfPath"/> a path without following a symlink in its last component (lstat).</summary>
internal readonly record struct Inode(uint Mode, uint Uid, uint Gid, long Size, ulong Links, ulong Dev, ulong Ino,
    ulong Rdev, DateTimeOffset ModificationTime)
{
    public uint Type => Mode & 0xF000;
    public bool IsDirectory => Type == 0x4000;
    public bool IsRegular => Type == 0x8000;
    public bool IsSymlink => Type == 0xA000;
    public bool IsCharDevice => Type == 0x2000;
    public bool IsBlockDevice => Type == 0x6000;
    public bool IsFifo => Type == 0x1000;
    public bool IsSocket => Type == 0xC000;
    public uint Permissions => Mode & 0xFFF;
    public bool IsUserExecutable => (Mode & 0b001_000_000) != 0;
    public int Major => (int)(((Rdev >> 8) & 0xfff) | ((Rdev >> 32) & 0xfffff000));
    public int Minor => (int)((Rdev & 0xff) | ((Rdev >> 12) & 0xffffff00));
    /// <summary>An overlayfs whiteout: a 0/0 character device.</summary>
    public bool IsWhiteout => IsCharDevice && Rdev == 0;

    /// <summary>fstat of <paramref name="fd"/>; <paramref name="what"/> names it in the error.</summary>
    public static unsafe Inode Of(FileDescriptor fd, string what)
    {
        stat st;
        if (LibC.fstat(fd.Fd, &st) != 0) throw LinuxException.FromLastError($"fstat '{what}'");
        return From(st);
    }

    /// <summary>lstat of <paramref name="path"/>: a symlink is described, not followed.</summary>
    public static unsafe Inode OfPath(string path)
    {
        stat st;
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
            if (LibC.lstat(p, &st) != 0)
                throw LinuxException.FromLastError($"lstat '{path}'");
        return From(st);
    }

    static Inode From(in stat st) =>
        new((uint)st.st_mode, st.st_uid, st.st_gid, st.st_size, st.st_nlink, st.st_dev, st.st_ino, st.st_rdev,
            DateTimeOffset.FromUnixTimeSeconds(st.st_mtim.tv_sec).AddTicks(st.st_mtim.tv_nsec / 100));
}
