using System.Diagnostics;
using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Images;

/// <summary>The recipes in labs/images produce what lessons and runtime tests rely on. Built into the shared
/// test image store (see <see cref="TestImages"/>), so later runs and other tests reuse the layers.</summary>
public sealed class ImageRecipesTests
{
    static (int ExitCode, string Output) InChroot(string layer, string command)
    {
        using var process = Process.Start(new ProcessStartInfo("chroot", [layer, "/bin/sh", "-c", command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["PATH"] = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin" },
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }

    [Fact]
    public async Task Busybox_image_has_a_shell_with_applets_and_a_root_user()
    {
        var layer = await TestImages.Busybox.EnsureBuiltAsync();

        var (exitCode, output) = InChroot(layer, "id -un && ls / && wc -l < /etc/passwd");

        Assert.True(exitCode == 0, output);
        Assert.StartsWith("root\n", output);
        foreach (var dir in new[] { "dev", "proc", "sys", "tmp", "etc", "root" })
            Assert.Contains(dir + "\n", output);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Lab_machine_image_has_the_tools_a_lesson_uses()
    {
        var layer = await TestImages.LabMachine.EnsureBuiltAsync();

        var (exitCode, output) = InChroot(layer,
            "bash --version | head -n1 && python3 -c 'print(6*7)' && curl --version | head -n1 && command -v ps "
            + "&& ip -V && less --version | head -n1 && command -v vi nano && test -s /etc/ssl/certs/ca-certificates.crt "
            + "&& echo certs-ok");

        Assert.True(exitCode == 0, output);
        Assert.Contains("GNU bash", output);
        Assert.Contains("42\n", output);
        Assert.Contains("certs-ok", output);
        Assert.False(File.Exists(Path.Combine(layer, "etc", "hostname")), "the runtime sets the hostname");
        Assert.Empty(Directory.GetFiles(Path.Combine(layer, "var", "cache", "apt", "archives"), "*.deb"));
    }
}
