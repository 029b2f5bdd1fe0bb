using System.Runtime.InteropServices;
using System.Text;
using static Tmds.Linux.LibC;

namespace Lab.Runtime.Native;

/// <summary>The descriptor-relative file calls the container filesystem code is built on. Every lookup is one
/// name below a directory descriptor, with O_NOFOLLOW: a walk never follows a symlink the student planted, and
/// the directory descriptors themselves come from <see cref="ResolveInRoot"/>, so nothing resolves outside the
/// container's root. Regular files and directories are reopened from their O_PATH descriptor through
/// /proc/self/fd (the same inode: no race with a rename). <see cref="FsWrites"/> makes and changes entries the
/// same way.</summary>
internal static unsafe class FsCalls
{
    /// <summary>The entry <paramref name="name"/> (one component) of <paramref name="dir"/>, not followed if it is
    /// a symlink; null when it does not exist.</summary>
    public static FileDescriptor? OpenAt(FileDescriptor dir, string name) => OpenAt(dir, name, O_PATH);

    /// <summary>As <see cref="OpenAt(FileDescriptor, string)"/>, opened with <paramref name="flags"/>.</summary>
    public static FileDescriptor? OpenAt(FileDescriptor dir, string name, int flags)
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

    internal static byte[] Z(string s) => Encoding.UTF8.GetBytes(s + "\0");
}

