using static Tmds.Linux.LibC;

namespace Lab.Runtime.Native;

/// <summary>Durability points of the image stores: a renamed entry is only safe once its directory is fsynced, and an
/// extracted layer's thousands of files are flushed in one syncfs rather than one fsync each.</summary>
internal static class DirectorySync
{
    public static void Directory(string dir) => WithDirectory(dir, fd => fsync(fd) == 0, "fsync");

    public static void Filesystem(string dir) => WithDirectory(dir, fd => syncfs(fd) == 0, "syncfs");

    static void WithDirectory(string dir, Func<int, bool> call, string name)
    {
        using var fd = FileDescriptor.Open(dir, O_RDONLY | O_DIRECTORY);
        if (!call(fd.Fd)) throw LinuxException.FromLastError($"{name} '{dir}'");
    }
}
