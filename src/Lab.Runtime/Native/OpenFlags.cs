using Tmds.Linux;

namespace Lab.Runtime.Native;

/// <summary>The open(2) flags callers of <see cref="FsCalls"/> pass, with the kernel's names. They come from
/// Tmds.LibC (some differ between architectures), so no file above this layer needs Tmds.Linux.</summary>
internal static class OpenFlags
{
    public static int O_RDONLY => LibC.O_RDONLY;
    public static int O_DIRECTORY => LibC.O_DIRECTORY;
    public static int O_NONBLOCK => LibC.O_NONBLOCK;
    /// <summary>A descriptor that names an inode without opening it (nothing is read, a FIFO never blocks).</summary>
    public static int O_PATH => LibC.O_PATH;
}
