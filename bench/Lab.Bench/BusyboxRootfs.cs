using System.Diagnostics;

namespace Lab.Bench;

/// <summary>The same busybox rootfs for every contender.</summary>
public static class BusyboxRootfs
{
    public static string Build(string root)
    {
        foreach (var d in new[] { "bin", "etc", "root", "tmp", "proc", "sys", "dev" })
            Directory.CreateDirectory(Path.Combine(root, d));
        File.Copy("/bin/busybox", Path.Combine(root, "bin/busybox"));
        File.SetUnixFileMode(Path.Combine(root, "bin/busybox"), (UnixFileMode)0b111_101_101);
        foreach (var applet in new[] { "sh", "true" })
            File.CreateSymbolicLink(Path.Combine(root, "bin", applet), "busybox");
        File.WriteAllText(Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        return root;
    }
}
