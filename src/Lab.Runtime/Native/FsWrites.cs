using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Lab.Runtime.Native;

/// <summary>Makes, removes and changes entries one name below a directory descriptor (the *at calls), or on the
/// very inode a descriptor holds: the write side of <see cref="FsCalls"/>. No call follows a symlink in the name it
/// is given, so a tree being written (`docker cp` into a container, a machine's /etc files) cannot be led out of
/// its root. <paramref name="what"/> parameters name the entry in errors.</summary>
internal static unsafe class FsWrites
{
    /// <summary>mkdirat; false when something already has that name.</summary>
    public static bool MakeDirectory(FileDescriptor parent, string name, uint mode, string what)
    {
        fixed (byte* n = Z(name))
        {
            if (mkdirat(parent.Fd, n, (mode_t)mode) == 0) return true;
            int errno = Marshal.GetLastPInvokeError();
            return errno == EEXIST ? false : throw new LinuxException(errno, $"mkdir '{what}'");
        }
    }

    /// <summary>A new regular file, write-only (O_EXCL: never an existing file, never through a symlink).</summary>
    public static FileDescriptor CreateNew(FileDescriptor parent, string name, uint mode, string what)
    {
        fixed (byte* n = Z(name))
        {
            int fd = openat(parent.Fd, n, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (mode_t)mode);
            return fd >= 0 ? new FileDescriptor(fd) : throw LinuxException.FromLastError($"create '{what}'");
        }
    }

    /// <summary>A regular file, write-only, created or truncated (O_NOFOLLOW: a symlink at the name is refused).</summary>
    public static FileDescriptor CreateOrTruncate(FileDescriptor parent, string name, uint mode, string what)
    {
        fixed (byte* n = Z(name))
        {
            int fd;
            do fd = openat(parent.Fd, n, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, (mode_t)mode);
            while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);
            return fd >= 0 ? new FileDescriptor(fd) : throw LinuxException.FromLastError($"create '{what}'");
        }
    }

    public static void Symlink(FileDescriptor parent, string name, string target, string what)
    {
        fixed (byte* t = Z(target))
        fixed (byte* n = Z(name))
            Check(symlinkat(t, parent.Fd, n), "symlink", what);
    }

    /// <summary>A hard link named <paramref name="name"/> to the inode <paramref name="target"/> holds (AT_EMPTY_PATH).</summary>
    public static void Link(FileDescriptor target, FileDescriptor parent, string name, string what)
    {
        fixed (byte* empty = "\0"u8)
        fixed (byte* n = Z(name))
            Check(linkat(target.Fd, empty, parent.Fd, n, AT_EMPTY_PATH), "link", what);
    }

    public static void MakeFifo(FileDescriptor parent, string name, uint mode, string what)
    {
        fixed (byte* n = Z(name))
            Check(mknodat(parent.Fd, n, (mode_t)(0x1000 /* S_IFIFO */ | mode), 0), "mkfifo", what);
    }

    /// <summary>unlinkat (AT_REMOVEDIR for an empty directory); an entry already gone is no error.</summary>
    public static void Remove(FileDescriptor parent, string name, bool isDirectory, string what)
    {
        fixed (byte* n = Z(name))
            if (unlinkat(parent.Fd, n, isDirectory ? AT_REMOVEDIR : 0) != 0 && Marshal.GetLastPInvokeError() != ENOENT)
                throw LinuxException.FromLastError($"remove '{what}'");
    }

    /// <summary>The owner of the entry itself, a symlink included (fchownat AT_SYMLINK_NOFOLLOW).</summary>
    public static void ChownEntry(FileDescriptor parent, string name, uint uid, uint gid, string what)
    {
        fixed (byte* n = Z(name))
            Check(fchownat(parent.Fd, n, uid, gid, AT_SYMLINK_NOFOLLOW), "lchown", what);
    }

    /// <summary>fchown of an open descriptor.</summary>
    public static void Chown(FileDescriptor fd, uint uid, uint gid, string what) =>
        Check(fchown(fd.Fd, uid, gid), "chown", what);

    /// <summary>fchmod of an open descriptor.</summary>
    public static void Chmod(FileDescriptor fd, uint mode, string what) => Check(fchmod(fd.Fd, (mode_t)mode), "chmod", what);

    /// <summary>The owner of the inode an O_PATH descriptor holds (fchownat AT_EMPTY_PATH: fchown refuses O_PATH).</summary>
    public static void ChownPathFd(FileDescriptor pathFd, uint uid, uint gid, string what)
    {
        fixed (byte* empty = "\0"u8)
            Check(fchownat(pathFd.Fd, empty, uid, gid, AT_EMPTY_PATH), "chown", what);
    }

    /// <summary>The mode of the inode an O_PATH descriptor holds, through /proc/self/fd (fchmod refuses O_PATH).</summary>
    public static void ChmodPathFd(FileDescriptor pathFd, uint mode, string what)
    {
        fixed (byte* p = Z($"/proc/self/fd/{pathFd.Fd}"))
            Check(chmod(p, (mode_t)mode), "chmod", what);
    }

    /// <summary>Access and modification time both set to <paramref name="mtime"/>, on the inode
    /// <paramref name="fd"/> holds (through /proc/self/fd: O_PATH descriptors included).</summary>
    public static void SetTimes(FileDescriptor fd, DateTimeOffset mtime, string what)
    {
        var times = stackalloc timespec[2];
        var seconds = mtime.ToUnixTimeSeconds();
        var nanos = (mtime.UtcTicks % TimeSpan.TicksPerSecond) * 100;
        times[0] = new timespec { tv_sec = (time_t)seconds, tv_nsec = (long_t)nanos };
        times[1] = times[0];
        fixed (byte* p = Z($"/proc/self/fd/{fd.Fd}"))
            Check(utimensat(AT_FDCWD, p, times, 0), "utimes", what);
    }

    static void Check(int result, string call, string what)
    {
        if (result < 0) throw LinuxException.FromLastError($"{call} '{what}'");
    }

    static byte[] Z(string s) => Encoding.UTF8.GetBytes(s + "\0");
}
