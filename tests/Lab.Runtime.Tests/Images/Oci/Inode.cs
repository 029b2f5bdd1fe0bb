using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Lab.Runtime.Tests.Images.Oci;

/// <summary>What a test checks about an extracted inode, read with stat(1) and lgetxattr(2) (the BCL shows
/// neither owners nor device numbers nor xattrs).</summary>
sealed record Inode(string Type, int Mode, int Uid, int Gid, long Inum, int Major, int Minor, long Mtime)
{
    public static Inode Of(string path)
    {
        // %F type, %a octal mode, %u %g owner, %i inode, %t %T device numbers in hex, %Y mtime in seconds
        var fields = Run("stat", "-c", "%F|%a|%u|%g|%i|%t|%T|%Y", path).Trim().Split('|');
        return new Inode(fields[0], Convert.ToInt32(fields[1], 8), int.Parse(fields[2]), int.Parse(fields[3]),
            long.Parse(fields[4]), Convert.ToInt32(fields[5], 16), Convert.ToInt32(fields[6], 16), long.Parse(fields[7]));
    }

    public static byte[]? Xattr(string path, string name)
    {
        var buffer = new byte[4096];
        var n = lgetxattr(path, name, buffer, buffer.Length);
        return n < 0 ? null : buffer[..(int)n];
    }

    public static void SetXattr(string path, string name, byte[] value)
    {
        if (lsetxattr(path, name, value, value.Length, 0) != 0)
            throw new IOException($"lsetxattr {name} on {path}: errno {Marshal.GetLastPInvokeError()}");
    }

    public static string Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args)
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {stderr}");
        return stdout;
    }

    [DllImport("libc", SetLastError = true)]
    static extern nint lgetxattr(string path, string name, byte[] value, nint size);

    [DllImport("libc", SetLastError = true)]
    static extern int lsetxattr(string path, string name, byte[] value, nint size, int flags);
}
