using Lab.Runtime.Native;

namespace Lab.Runtime.Containers.Filesystem;

/// <summary>What the X-Docker-Container-Path-Stat header carries (moby's ContainerPathStat): <see cref="Mode"/> is
/// Go's os.FileMode (type bits high, permissions low), which the docker CLI decodes.</summary>
public sealed record PathStat(string Name, long Size, uint Mode, DateTimeOffset Mtime, string LinkTarget)
{
    const uint ModeDir = 1u << 31, ModeSymlink = 1u << 27, ModeDevice = 1u << 26, ModeNamedPipe = 1u << 25,
        ModeSocket = 1u << 24, ModeSetuid = 1u << 23, ModeSetgid = 1u << 22, ModeCharDevice = 1u << 21,
        ModeSticky = 1u << 20;

    public bool IsDirectory => (Mode & ModeDir) != 0;

    internal static uint GoFileMode(Inode st)
    {
        uint mode = st.Mode & 0x1FF;
        if (st.IsDirectory) mode |= ModeDir;
        else if (st.IsSymlink) mode |= ModeSymlink;
        else if (st.IsFifo) mode |= ModeNamedPipe;
        else if (st.IsSocket) mode |= ModeSocket;
        else if (st.IsCharDevice) mode |= ModeDevice | ModeCharDevice;
        else if (st.IsBlockDevice) mode |= ModeDevice;
        if ((st.Mode & 0x800) != 0) mode |= ModeSetuid;
        if ((st.Mode & 0x400) != 0) mode |= ModeSetgid;
        if ((st.Mode & 0x200) != 0) mode |= ModeSticky;
        return mode;
    }
}
