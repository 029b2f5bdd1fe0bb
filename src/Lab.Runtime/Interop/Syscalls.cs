using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Lab.Runtime.Interop;

/// <summary>The calls Tmds.LibC lacks, with the kernel's and glibc's own names and numbers (x86_64).
/// Everything else goes through Tmds.Linux.LibC as it is (it has syscall(2), openat2 and open_how already).</summary>
internal static unsafe partial class Syscalls
{
    private const string Libc = "libc";

    public const int SYS_pidfd_open = 434;
    public const int SYS_open_tree = 428;

    /// <summary>open_tree's flag for a detached clone of the tree (linux/mount.h).</summary>
    public const uint OPEN_TREE_CLONE = 1;

    /// <summary>struct timeval, for SO_RCVTIMEO (Tmds.LibC has none).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Timeval
    {
        public long tv_sec;
        public long tv_usec;
    }

    public const int WNOHANG = 1;

    /// <summary>glibc's posix_spawn_file_actions_t is 80 bytes on x86_64; we reserve more and let glibc use it.</summary>
    public const int PosixSpawnFileActionsSize = 128;

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);

    [LibraryImport(Libc)]
    public static partial int posix_spawn_file_actions_init(void* actions);

    [LibraryImport(Libc)]
    public static partial int posix_spawn_file_actions_destroy(void* actions);

    [LibraryImport(Libc)]
    public static partial int posix_spawn_file_actions_adddup2(void* actions, int fd, int newfd);

    /// <summary>Returns an errno value (not -1) on failure, as POSIX specifies.</summary>
    [LibraryImport(Libc)]
    public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    public const int PR_SET_CHILD_SUBREAPER = 36;

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int lsetxattr(byte* path, byte* name, byte* value, nuint size, int flags);

    /// <summary>Returns the value's length, or -1 with errno (ENODATA: no such attribute).</summary>
    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint lgetxattr(byte* path, byte* name, byte* value, nuint size);

    /// <summary>The NUL-terminated names of the attributes, one after the other; returns their total length.</summary>
    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint flistxattr(int fd, byte* list, nuint size);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial nint fgetxattr(int fd, byte* name, byte* value, nuint size);

    [LibraryImport(Libc, SetLastError = true)]
    public static partial int fsetxattr(int fd, byte* name, byte* value, nuint size, int flags);

    public static int pidfd_open(int pid) => (int)LibC.syscall(SYS_pidfd_open, pid, 0);

    public static int open_tree(int dirfd, byte* path, uint flags) => (int)LibC.syscall(SYS_open_tree, dirfd, path, flags);

    public static bool WIFEXITED(int status) => (status & 0x7f) == 0;
    public static int WEXITSTATUS(int status) => (status >> 8) & 0xff;
    public static int WTERMSIG(int status) => status & 0x7f;

    /// <summary>Shell convention: the exit code, or 128+signal for a process killed by a signal.</summary>
    public static int ExitCodeOf(int status) => WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
