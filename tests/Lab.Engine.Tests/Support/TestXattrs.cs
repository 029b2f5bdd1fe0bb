using System.Runtime.InteropServices;

namespace Lab.Engine.Tests.Support;

/// <summary>Reads a file's xattr as raw bytes (lgetxattr) and runs the host's tools that set them.</summary>
public static class TestXattrs
{
    public static byte[]? Get(string path, string name)
    {
        var buffer = new byte[4096];
        var n = lgetxattr(path, name, buffer, buffer.Length);
        return n < 0 ? null : buffer[..(int)n];
    }

    public static void Run(string file, params string[] args)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, args)
            { RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {stderr}");
    }

    [DllImport("libc", SetLastError = true)]
    static extern nint lgetxattr(string path, string name, byte[] value, nint size);
}
