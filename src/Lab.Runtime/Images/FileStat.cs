using System.Text;
using Lab.Runtime.Native;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Lab.Runtime.Images;

/// <summary>The few inode facts the image code needs from lstat (the BCL does not expose link counts, inode
/// numbers or owners), plus chown/chmod that do not follow symlinks.</summary>
readonly record struct FileStat(ulong Dev, ulong Ino, ulong Links, uint Mode, uint Uid, uint Gid)
{
    public bool IsUserExecutable => (Mode & 0b001_000_000) != 0;

    public static unsafe FileStat Of(string path)
    {
        Tmds.Linux.stat st;
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
            if (lstat(p, &st) != 0)
                throw LinuxException.FromLastError($"lstat '{path}'");
        return new FileStat(st.st_dev, st.st_ino, st.st_nlink, (uint)st.st_mode, st.st_uid, st.st_gid);
    }

    /// <summary>chmod, and chown when running as root (a non-root builder owns its files anyway and may not give
    /// them away).</summary>
    public static unsafe void SetOwnerAndMode(string path, uint uid, uint gid, uint mode)
    {
        fixed (byte* p = Encoding.UTF8.GetBytes(path + "\0"))
        {
            if (geteuid() == 0 && lchown(p, uid, gid) != 0) throw LinuxException.FromLastError($"lchown '{path}'");
            if (chmod(p, (mode_t)mode) != 0) throw LinuxException.FromLastError($"chmod '{path}'");
        }
    }
}
