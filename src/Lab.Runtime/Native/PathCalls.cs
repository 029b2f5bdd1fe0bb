using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Lab.Runtime.Native;

/// <summary>The path-based inode calls that layer extraction and the image stores need and the BCL lacks (device
/// nodes, owners of symlinks, nanosecond times of symlinks). None follows a symlink in the last path component,
/// except chmod (a symlink has no mode of its own).</summary>
internal static unsafe class PathCalls
{
    public const uint S_IFMT = 0xF000, S_IFDIR = 0x4000, S_IFLNK = 0xA000, S_IFCHR = 0x2000, S_IFBLK = 0x6000,
        S_IFIFO = 0x1000;

    /// <summary>The file type bits (S_IFDIR, S_IFLNK, ...) of <paramref name="path"/>, or null when nothing is
    /// there.</summary>
    public static uint? TypeOf(string path)
    {
        try
        {
            return Inode.OfPath(path).Type;
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

    /// <summary>chmod, and lchown when running as root (a non-root builder owns its files anyway and may not give
    /// them away).</summary>
    public static void SetOwnerAndMode(string path, uint uid, uint gid, uint mode)
    {
        if (ProcessIdentity.EffectiveUserId == 0) Chown(path, uid, gid);
        Chmod(path, mode);
    }

    public static void SetTimes(string path, DateTimeOffset accessed, DateTimeOffset modified)
    {
        var times = stackalloc timespec[2];
        times[0] = ToTimespec(accessed);
        times[1] = ToTimespec(modified);
        fixed (byte* p = Z(path)) Check(utimensat(AT_FDCWD, p, times, AT_SYMLINK_NOFOLLOW), "utimensat", path);
    }

    // glibc's makedev: 12 bits of major and 20 of minor in the classic places, the rest above.
    internal static ulong MakeDev(uint major, uint minor) =>
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
