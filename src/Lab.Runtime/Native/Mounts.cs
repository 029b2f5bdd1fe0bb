using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;

namespace Lab.Runtime.Native;

/// <summary>The mount calls made from the server itself (the init helper makes a machine's own mounts, in C).</summary>
internal static unsafe class Mounts
{
    /// <summary>Lazily detaches the mount at <paramref name="mountPoint"/> (umount2 MNT_DETACH); false when nothing
    /// is mounted there any more (EINVAL) or the path is gone (ENOENT), as when a parent's detach took it along.</summary>
    public static bool Detach(string mountPoint)
    {
        fixed (byte* p = Encoding.UTF8.GetBytes(mountPoint + "\0"))
        {
            if (LibC.umount2(p, LibC.MNT_DETACH) == 0) return true;
            var errno = Marshal.GetLastPInvokeError();
            return errno == LibC.EINVAL || errno == LibC.ENOENT ? false : throw new LinuxException(errno, $"umount2 '{mountPoint}'");
        }
    }
}
