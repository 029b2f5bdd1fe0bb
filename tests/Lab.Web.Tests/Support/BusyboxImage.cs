using System.Diagnostics;
using Lab.Runtime.Images;

namespace Lab.Web.Tests.Support;

/// <summary>A busybox root filesystem (Debian's busybox-static), built once per test run: real machines in a
/// fraction of a second, for the tests that need a shell but not the full lab-machine image.</summary>
public sealed class BusyboxImage : IBaseImage
{
    private static readonly Lazy<string> Built = new(Build);

    public string Name => "busybox-test";

    public Task<string> EnsureBuiltAsync(IProgress<string>? progress = null, CancellationToken ct = default) =>
        Task.FromResult(Built.Value);

    private static string Build()
    {
        var root = Path.Combine(Path.GetTempPath(), $"{StaleTestState.OwnPrefix}busybox");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, true);
        }

        foreach (var dir in new[] { "bin", "sbin", "etc", "root", "tmp", "proc", "sys", "dev", "usr/bin", "usr/sbin" })
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        File.Copy("/bin/busybox", Path.Combine(root, "bin/busybox"));
        File.SetUnixFileMode(Path.Combine(root, "bin/busybox"), (UnixFileMode)0b111_101_101);
        using (var install = Process.Start(new ProcessStartInfo("/usr/sbin/chroot", [root, "/bin/busybox", "--install", "-s"]))!)
        {
            install.WaitForExit();
            if (install.ExitCode != 0)
            {
                throw new InvalidOperationException("busybox --install failed");
            }
        }

        File.WriteAllText(Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        File.WriteAllText(Path.Combine(root, "etc/group"), "root:x:0:\ntty:x:5:\n");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        };
        return root;
    }
}
