using System.Text;
using static Tmds.Linux.LibC;

namespace Lab.Runtime.Native;

/// <summary>Durability points of the image stores: a renamed entry is only safe once its directory is fsynced, and an
/// extracted layer's thousands of files are flushed in one syncfs rather than one fsync each.</summary>
internal static class DirectorySync
{
    public static void Directory(string dir) => WithDirectory(dir, fd => fsync(fd) == 0, "fsync");

    public static void Filesystem(string dir) => WithDirectory(dir, fd => syncfs(fd) == 0, "syncfs");

    static unsafe void WithDirectory(string dir, Func<int, bool> call, string name)
    {
        FileDescriptor fd;
        fixed (byte* p = Encoding.UTF8.GetBytes(dir + "\0"))
            fd = new FileDescriptor(open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        using (fd)
        {
            if (fd.IsInvalid) throw LinuxException.FromLastError($"open '{dir}'");
            if (!call(fd.Fd)) throw LinuxException.FromLastError($"{name} '{dir}'");
        }
    }
}
