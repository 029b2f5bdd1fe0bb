using Lab.Runtime.Interop;
using System.Runtime.InteropServices;
using System.Text;
using Lab.Runtime.Native;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Lab.Runtime.Images.Oci;

/// <summary>The inode-level calls that layer extraction needs and the BCL lacks (device nodes, owners of
/// symlinks, nanosecond times of symlinks, extended attributes). None follows a symlink in the last path
/// component.</summary>
static unsafe class LayerFiles
{
    public const uint S_IFMT = 0xF000, S_IFDIR = 0x4000, S_IFLNK = 0xA000, S_IFCHR = 0x2000, S_IFBLK = 0x6000,
        S_IFIFO = 0x1000;
    const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100;

    /// <summary>The file type bits (S_IFDIR, S_IFLNK, ...) of <paramref name="path"/>, or null when nothing is
    /// there.</summary>
    public static uint? TypeOf(string path)
    {
        try
        {
            return FileStat.Of(path).Mode & S_IFMT;
        }
        catch (LinuxException e) when (e.Errno == ENOENT)
        {
            return null;
        }
    }

    public static void MakeDirectory(string path, uint mode)
    {
        fixed (byte* p = Z(path)) Check(mkdir(p, (mode_t)mode), "mkdir", path);
    }

    public static void MakeNode(string path, uint typeAndMode, uint major, uint minor)
    {
        fixed (byte* p = Z(path)) Check(mknod(p, (mode_t)typeAndMode, (dev_t)MakeDev(major, minor)), "mknod", path);
    }

    public static void SymbolicLink(string target, string path)
    {
        fixed (byte* t = Z(target))
        fixed (byte* p = Z(path))
            Check(symlink(t, p), "symlink", path);
    }

    public static void HardLink(string existing, string path)
    {
        fixed (byte* e = Z(existing))
        fixed (byte* p = Z(path))
            Check(link(e, p), "link", path);
    }

    public static void Chown(string path, uint uid, uint gid)
    {
        fixed (byte* p = Z(path)) Check(lchown(p, (uid_t)uid, (gid_t)gid), "lchown", path);
    }

    public static void Chmod(string path, uint mode)
    {
        fixed (byte* p = Z(path)) Check(chmod(p, (mode_t)mode), "chmod", path);
    }

    public static void SetTimes(string path, DateTimeOffset accessed, DateTimeOffset modified)
    {
        var times = stackalloc timespec[2];
        times[0] = ToTimespec(accessed);
        times[1] = ToTimespec(modified);
        fixed (byte* p = Z(path)) Check(utimensat(AT_FDCWD, p, times, AT_SYMLINK_NOFOLLOW), "utimensat", path);
    }

    public static void SetXattr(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = Z(path))
        fixed (byte* n = Z(name))
        fixed (byte* v = value)
            Check(Syscalls.lsetxattr(p, n, v, (nuint)value.Length, 0), $"lsetxattr {name}", path);
    }

    // glibc's makedev: 12 bits of major and 20 of minor in the classic places, the rest above.
    static ulong MakeDev(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8)
        | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);

    static timespec ToTimespec(DateTimeOffset time)
    {
        var sinceEpoch = time.UtcTicks - DateTime.UnixEpoch.Ticks;
        var seconds = Math.DivRem(sinceEpoch, TimeSpan.TicksPerSecond, out var ticks);
        if (ticks < 0) (seconds, ticks) = (seconds - 1, ticks + TimeSpan.TicksPerSecond);
        return new timespec { tv_sec = seconds, tv_nsec = (long_t)(ticks * 100) };
    }

    static byte[] Z(string s) => Encoding.UTF8.GetBytes(s + "\0");

    static void Check(int result, string call, string path)
    {
        if (result != 0) throw LinuxException.FromLastError($"{call} '{path}'");
    }

}
