using System.Runtime.InteropServices;
using System.Text;
using Lab.Runtime.Native;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Lab.Runtime.Containers.Filesystem;

/// <summary>The descriptor-relative file calls the container filesystem code is built on. Every lookup is one
/// name below a directory descriptor, with O_NOFOLLOW: a walk never follows a symlink the student planted, and
/// the directory descriptors themselves come from <see cref="ResolveInRoot"/>, so nothing resolves outside the
/// container's root. Regular files and directories are reopened from their O_PATH descriptor through
/// /proc/self/fd (the same inode: no race with a rename). (f*xattr are not in Tmds.LibC: declared here, with the
/// kernel's names, until the lead moves them into Interop/Syscalls.cs.)</summary>
internal static unsafe class FsCalls
{
    public const int O_PATH = 0x200000;
    const int XATTR_CREATE = 1;

    [DllImport("libc", SetLastError = true)]
    static extern nint flistxattr(int fd, byte* list, nuint size);

    [DllImport("libc", SetLastError = true)]
    static extern nint fgetxattr(int fd, byte* name, byte* value, nuint size);

    [DllImport("libc", SetLastError = true)]
    static extern int fsetxattr(int fd, byte* name, byte* value, nuint size, int flags);

    /// <summary>The entry <paramref name="name"/> (one component) of <paramref name="dir"/>, not followed if it is
    /// a symlink; null when it does not exist.</summary>
    public static FileDescriptor? OpenAt(FileDescriptor dir, string name, int flags = O_PATH)
    {
        fixed (byte* p = Z(name))
        {
            while (true)
            {
                int fd = openat(dir.Fd, p, flags | O_NOFOLLOW | O_CLOEXEC, 0);
                if (fd >= 0) return new FileDescriptor(fd);
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR) continue;
                if (errno == ENOENT || errno == ENOTDIR) return null;
                throw new LinuxException(errno, $"openat '{name}'");
            }
        }
    }

    public static Inode Stat(FileDescriptor fd, string what)
    {
        Tmds.Linux.stat st;
        if (fstat(fd.Fd, &st) != 0) throw LinuxException.FromLastError($"fstat '{what}'");
        return new Inode((uint)st.st_mode, st.st_uid, st.st_gid, st.st_size, st.st_nlink, st.st_dev, st.st_ino,
            st.st_rdev, DateTimeOffset.FromUnixTimeSeconds(st.st_mtim.tv_sec).AddTicks(st.st_mtim.tv_nsec / 100));
    }

    /// <summary>The target of the symlink an O_PATH descriptor holds.</summary>
    public static string ReadLink(FileDescriptor link, string what)
    {
        var buffer = new byte[4097];
        fixed (byte* b = buffer)
        fixed (byte* empty = "\0"u8)
        {
            long n = readlinkat(link.Fd, empty, b, buffer.Length);
            if (n < 0) throw LinuxException.FromLastError($"readlink '{what}'");
            return Encoding.UTF8.GetString(buffer, 0, (int)n);
        }
    }

    /// <summary>A real descriptor on the inode an O_PATH one holds (for reading a file, listing a directory).</summary>
    public static FileDescriptor Reopen(FileDescriptor pathFd, int flags, string what)
    {
        fixed (byte* p = Z($"/proc/self/fd/{pathFd.Fd}"))
        {
            int fd;
            do fd = open(p, flags | O_CLOEXEC | O_NOCTTY, 0);
            while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);
            return fd >= 0 ? new FileDescriptor(fd) : throw LinuxException.FromLastError($"reopen '{what}'");
        }
    }

    /// <summary>The names in a directory, in ordinal order (the same tree always gives the same tar).</summary>
    public static List<string> ListNames(FileDescriptor dir, string what)
    {
        try
        {
            var names = Directory.EnumerateFileSystemEntries($"/proc/self/fd/{dir.Fd}", "*",
                    new EnumerationOptions { AttributesToSkip = FileAttributes.None, RecurseSubdirectories = false })
                .Select(Path.GetFileName).Select(n => n!).ToList();
            names.Sort(StringComparer.Ordinal);
            return names;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot list '{what}': {e.Message}", e);
        }
    }

    /// <summary>Extended attributes of an open (not O_PATH) file or directory.</summary>
    public static Dictionary<string, byte[]> Xattrs(FileDescriptor fd)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var list = new byte[65536];
        nint n;
        fixed (byte* l = list) n = flistxattr(fd.Fd, l, (nuint)list.Length);
        if (n <= 0) return result; // ENOTSUP and friends: no xattrs
        foreach (var name in Encoding.UTF8.GetString(list, 0, (int)n).Split('\0', StringSplitOptions.RemoveEmptyEntries))
            if (Xattr(fd, name) is { } value) result[name] = value;
        return result;
    }

    public static byte[]? Xattr(FileDescriptor fd, string name)
    {
        var value = new byte[65536];
        nint n;
        fixed (byte* np = Z(name))
        fixed (byte* v = value)
            n = fgetxattr(fd.Fd, np, v, (nuint)value.Length);
        return n < 0 ? null : value.AsSpan(0, (int)n).ToArray();
    }

    public static void SetXattr(FileDescriptor fd, string name, byte[] value, string what)
    {
        fixed (byte* np = Z(name))
        fixed (byte* v = value)
            if (fsetxattr(fd.Fd, np, v, (nuint)value.Length, 0) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != EOPNOTSUPP && errno != EPERM) throw new LinuxException(errno, $"setxattr {name} on '{what}'");
            }
    }

    internal static byte[] Z(string s) => Encoding.UTF8.GetBytes(s + "\0");
}

/// <summary>What fstat says about one inode.</summary>
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
    public int Major => (int)(((Rdev >> 8) & 0xfff) | ((Rdev >> 32) & 0xfffff000));
    public int Minor => (int)((Rdev & 0xff) | ((Rdev >> 12) & 0xffffff00));
    /// <summary>An overlayfs whiteout: a 0/0 character device.</summary>
    public bool IsWhiteout => IsCharDevice && Rdev == 0;
}
