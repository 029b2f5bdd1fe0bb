using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Lab.Runtime.Native;

/// <summary>Paths chosen by a student, resolved from the host inside a directory that acts as their root (a lab
/// machine's root is <c>/proc/&lt;init pid&gt;/root</c>): openat2(2) with RESOLVE_IN_ROOT, so "..", absolute
/// symbolic links and symlink chains all stay inside that root, and RESOLVE_NO_MAGICLINKS, so /proc/*/root or
/// /proc/*/fd links cannot lead back to the host. The last component is opened O_PATH and only reopened for
/// reading (through /proc/self/fd, the same inode, no race) when it is a regular file: a FIFO or a device node
/// planted at the path is never opened for real.</summary>
public static unsafe class ResolveInRoot
{
    /// <summary>A directory to resolve in, opened O_PATH (the host's own path, trusted).</summary>
    public static FileDescriptor OpenRoot(string hostPath) => FileDescriptor.Open(hostPath, O_PATH | O_DIRECTORY);

    /// <summary>The inode at <paramref name="path"/> inside <paramref name="root"/>, opened O_PATH; null when it
    /// does not exist (ENOENT, ENOTDIR) or when resolving it would leave the root through a magic link (EXDEV,
    /// ELOOP).</summary>
    public static FileDescriptor? OpenPath(FileDescriptor root, string path)
    {
        var how = new open_how { flags = (ulong)(O_PATH | O_CLOEXEC), resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
        {
            while (true)
            {
                int fd = openat2(root.Fd, p, &how, sizeof(open_how));
                if (fd >= 0) return new FileDescriptor(fd);
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR || errno == EAGAIN) continue; // EAGAIN: a rename raced the lookup; the kernel asks to retry
                if (errno == ENOENT || errno == ENOTDIR || errno == EXDEV || errno == ELOOP) return null;
                throw new LinuxException(errno, $"openat2 '{path}' in root");
            }
        }
    }

    /// <summary>Mode bits, type and, for a regular file, its first <paramref name="maxBytes"/> bytes; null when
    /// the path does not exist in the root.</summary>
    public static RootedFile? Read(FileDescriptor root, string path, int maxBytes)
    {
        using var file = OpenPath(root, path);
        if (file is null) return null;
        var st = Inode.Of(file, path);
        var content = st.IsRegular && maxBytes > 0 ? ReadReopened(file, path, maxBytes) : [];
        return new RootedFile((int)st.Permissions, st.IsDirectory, st.IsRegular, content);
    }

    private static byte[] ReadReopened(FileDescriptor file, string path, int maxBytes)
    {
        using var reader = FsCalls.Reopen(file, O_RDONLY | O_NONBLOCK, path);
        var buffer = new byte[maxBytes];
        int total = 0;
        while (total < maxBytes)
        {
            int n = reader.Read(buffer.AsSpan(total));
            if (n <= 0) break;
            total += n;
        }

        return buffer.AsSpan(0, total).ToArray();
    }
}

/// <param name="Mode">Permission bits (07777).</param>
public sealed record RootedFile(int Mode, bool IsDirectory, bool IsRegular, byte[] Content);
