using System.Diagnostics;
using Lab.Runtime.Images;

namespace Lab.Runtime.Tests.Support;

/// <summary>A minimal busybox root filesystem built once per test run from Debian's busybox-static: fast enough
/// for every machine test, real enough (sh, ps, ip, mount, ping...) to attack the isolation with.</summary>
public sealed class BusyboxRootfs : IBaseImage
{
    private static readonly Lazy<string> Built = new(Build);

    public string Name => "busybox-test";

    public Task<string> EnsureBuiltAsync(IProgress<string>? progress = null, CancellationToken ct = default) =>
        Task.FromResult(Built.Value);

    private static string Build()
    {
        var root = Path.Combine(Path.GetTempPath(), $"lab-test-{Environment.ProcessId}-busybox");
        if (Directory.Exists(root)) Directory.Delete(root, true);
        foreach (var d in new[] { "bin", "sbin", "etc", "root", "tmp", "proc", "sys", "dev", "usr/bin", "usr/sbin" })
            Directory.CreateDirectory(Path.Combine(root, d));
        File.Copy("/bin/busybox", Path.Combine(root, "bin/busybox"));
        File.SetUnixFileMode(Path.Combine(root, "bin/busybox"), (UnixFileMode)0b111_101_101);
        var install = Process.Start(new ProcessStartInfo("/usr/sbin/chroot", [root, "/bin/busybox", "--install", "-s"]))!;
        install.WaitForExit();
        if (install.ExitCode != 0) throw new InvalidOperationException("busybox --install failed");
        File.WriteAllText(Path.Combine(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n");
        File.WriteAllText(Path.Combine(root, "etc/group"), "root:x:0:\ntty:x:5:\nnogroup:x:65534:\n");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(root, true); } catch { } };
        return root;
    }
}
