using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;
using static Lab.Runtime.Native.LoopInterop;

namespace Lab.Runtime.Native;

/// <summary>A loop device bound to a file with LO_FLAGS_AUTOCLEAR, held open by this object. A mount of it holds
/// it open too; once every opener is gone (this object disposed, the mount ended) the kernel unbinds it by itself,
/// so whichever process dies first — server, helper, machine — no loop device is left bound.</summary>
public sealed class LoopDevice : IDisposable
{
    private readonly FileDescriptor _fd;

    private LoopDevice(string path, FileDescriptor fd)
    {
        Path = path;
        _fd = fd;
    }

    /// <summary>/dev/loopN.</summary>
    public string Path { get; }

    /// <summary>Binds <paramref name="backingFile"/> (read-write) to a free loop device, as losetup does:
    /// LOOP_CTL_GET_FREE, then LOOP_CONFIGURE, asking again when another process took the device in between.</summary>
    public static unsafe LoopDevice Attach(string backingFile)
    {
        using var backing = FileDescriptor.Open(backingFile, LibC.O_RDWR);
        using var control = FileDescriptor.Open("/dev/loop-control", LibC.O_RDWR);
        for (int attempt = 1; ; attempt++)
        {
            int number = LibC.ioctl(control.Fd, LOOP_CTL_GET_FREE);
            if (number < 0) throw LinuxException.FromLastError("ioctl LOOP_CTL_GET_FREE");
            var device = OpenDevice(number);
            // O_DIRECT on the backing file when its filesystem allows (systemd's loop-util does the same): the
            // machine's pages are then cached once, above the loop, not a second time in the host's page cache.
            int errno = Configure(device, backing, backingFile, LO_FLAGS_AUTOCLEAR | LO_FLAGS_DIRECT_IO);
            if (errno == LibC.EINVAL) errno = Configure(device, backing, backingFile, LO_FLAGS_AUTOCLEAR);
            if (errno == 0) return new LoopDevice($"/dev/loop{number}", device);
            device.Dispose();
            if (errno != LibC.EBUSY || attempt == 64)
                throw new LinuxException(errno, $"ioctl LOOP_CONFIGURE /dev/loop{number} with '{backingFile}'");
        }
    }

    private static unsafe int Configure(FileDescriptor device, FileDescriptor backing, string backingFile, uint flags)
    {
        var config = new loop_config { fd = (uint)backing.Fd };
        config.info.lo_flags = flags;
        // The name LOOP_GET_STATUS reports (sysfs backing_file shows the real path whatever this says).
        var name = Encoding.UTF8.GetBytes(backingFile);
        var keep = Math.Min(name.Length, LO_NAME_SIZE - 1);
        for (int i = 0; i < keep; i++) config.info.lo_file_name[i] = name[name.Length - keep + i];
        return LibC.ioctl(device.Fd, LOOP_CONFIGURE, &config) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>Opens /dev/loopN. Where /dev is a static tmpfs (a container) rather than devtmpfs, a device the
    /// kernel just created has no node yet: make it from the numbers sysfs gives.</summary>
    private static FileDescriptor OpenDevice(int number)
    {
        var path = $"/dev/loop{number}";
        try { return FileDescriptor.Open(path, LibC.O_RDWR); }
        catch (LinuxException e) when (e.Errno == LibC.ENOENT)
        {
            var numbers = File.ReadAllText($"/sys/block/loop{number}/dev").Trim().Split(':');
            try { PathCalls.MakeNode(path, PathCalls.S_IFBLK | 0x180 /* 0600 */, uint.Parse(numbers[0]), uint.Parse(numbers[1])); }
            catch (LinuxException made) when (made.Errno == LibC.EEXIST) { } // another attacher made it meanwhile
            return FileDescriptor.Open(path, LibC.O_RDWR);
        }
    }

    /// <summary>The loop devices (/dev/loopN) currently bound to <paramref name="file"/>, from sysfs (reading it
    /// opens no device, so it cannot disturb an autoclear device).</summary>
    public static IReadOnlyList<string> BoundTo(string file)
    {
        if (KernelPath(file) is not { } target) return [];
        var bound = new List<string>();
        foreach (var entry in Directory.EnumerateFileSystemEntries("/sys/block", "loop*"))
        {
            string backing;
            try { backing = File.ReadAllText(System.IO.Path.Combine(entry, "loop", "backing_file")).TrimEnd('\n'); }
            catch (IOException) { continue; } // unbound devices have no loop/backing_file
            if (backing == target) bound.Add("/dev/" + System.IO.Path.GetFileName(entry));
        }
        return bound;
    }

    /// <summary>The path the kernel prints for the file (symlinks resolved), as sysfs backing_file shows it.</summary>
    private static string? KernelPath(string file)
    {
        try
        {
            using var handle = File.OpenHandle(file);
            return new FileInfo($"/proc/self/fd/{handle.DangerousGetHandle()}").LinkTarget;
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    /// <summary>Drops our hold: the device stays bound while a mount uses it, and unbinds when that ends.</summary>
    public void Dispose() => _fd.Dispose();
}
