using System.Diagnostics;
using Lab.Runtime.Interop;
using Lab.Runtime.Machines;

namespace Lab.Runtime.Tests.Interop;

/// <summary>Our own syscall numbers, sizes and constants, checked against this machine's C headers (as Tmds.LibC's
/// own tests do): a wrong number here would be a silent, dangerous bug.</summary>
public class SyscallsTests
{
    private static Dictionary<string, long> FromHeaders()
    {
        var dir = Directory.CreateTempSubdirectory("lab-headers-").FullName;
        try
        {
            var source = Path.Combine(dir, "probe.c");
            File.WriteAllText(source, """
                #define _GNU_SOURCE
                #include <stdio.h>
                #include <spawn.h>
                #include <sys/syscall.h>
                #include <sys/wait.h>
                #include <sys/time.h>
                #include <linux/mount.h>
                #include <linux/capability.h>
                int main(void) {
                    printf("SYS_pidfd_open %ld\n", (long)SYS_pidfd_open);
                    printf("WNOHANG %ld\n", (long)WNOHANG);
                    printf("SYS_open_tree %ld\n", (long)SYS_open_tree);
                    printf("OPEN_TREE_CLONE %ld\n", (long)OPEN_TREE_CLONE);
                    printf("sizeof_timeval %ld\n", (long)sizeof(struct timeval));
                    printf("sizeof_file_actions %ld\n", (long)sizeof(posix_spawn_file_actions_t));
                    printf("CAP_SYS_ADMIN %ld\n", (long)CAP_SYS_ADMIN);
                    printf("CAP_NET_RAW %ld\n", (long)CAP_NET_RAW);
                    printf("CAP_SETFCAP %ld\n", (long)CAP_SETFCAP);
                    printf("CAP_AUDIT_WRITE %ld\n", (long)CAP_AUDIT_WRITE);
                    printf("CAP_MKNOD %ld\n", (long)CAP_MKNOD);
                    return 0;
                }
                """);
            var exe = Path.Combine(dir, "probe");
            using (var cc = Process.Start("gcc", ["-o", exe, source])!) { cc.WaitForExit(); Assert.Equal(0, cc.ExitCode); }
            using var run = Process.Start(new ProcessStartInfo(exe) { RedirectStandardOutput = true })!;
            var output = run.StandardOutput.ReadToEnd();
            run.WaitForExit();
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Split(' ')).ToDictionary(p => p[0], p => long.Parse(p[1]));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Calls_made_through_Tmds_LibC_syscall_report_their_errno()
    {
        Assert.Equal(-1, Syscalls.pidfd_open(-1));
        Assert.Equal(22, System.Runtime.InteropServices.Marshal.GetLastPInvokeError()); // EINVAL

        var e = Assert.Throws<Lab.Runtime.Native.LinuxException>(() => Lab.Runtime.Native.AgentSocket.OpenTreeClone("/nonexistent-lab-path"));
        Assert.Equal(2, e.Errno); // ENOENT
        Assert.StartsWith("open_tree '/nonexistent-lab-path'", e.Message);
    }

    [Fact]
    public void Syscall_numbers_and_sizes_match_the_headers()
    {
        var h = FromHeaders();
        Assert.Equal(h["SYS_pidfd_open"], Syscalls.SYS_pidfd_open);
        Assert.Equal(h["WNOHANG"], Syscalls.WNOHANG);
        Assert.Equal(h["SYS_open_tree"], Syscalls.SYS_open_tree);
        Assert.Equal(h["OPEN_TREE_CLONE"], Syscalls.OPEN_TREE_CLONE);
        Assert.Equal(h["sizeof_timeval"], System.Runtime.CompilerServices.Unsafe.SizeOf<Syscalls.Timeval>());
        Assert.True(Syscalls.PosixSpawnFileActionsSize >= h["sizeof_file_actions"]);
    }

    [Fact]
    public void Capability_numbers_match_the_headers()
    {
        var h = FromHeaders();
        Assert.Equal(h["CAP_SYS_ADMIN"], Capabilities.CAP_SYS_ADMIN);
        Assert.Equal(h["CAP_NET_RAW"], Capabilities.CAP_NET_RAW);
        Assert.Equal(h["CAP_SETFCAP"], Capabilities.CAP_SETFCAP);
        Assert.Equal(h["CAP_AUDIT_WRITE"], Capabilities.CAP_AUDIT_WRITE);
        Assert.Equal(h["CAP_MKNOD"], Capabilities.CAP_MKNOD);
        // moby's default set, as the kernel numbers it.
        Assert.Equal(0xa80425fbUL, Capabilities.Mask(Capabilities.DockerDefault));
    }

    [Fact]
    public void Exit_codes_follow_the_shell_convention()
    {
        Assert.Equal(3, Syscalls.ExitCodeOf(3 << 8));
        Assert.Equal(137, Syscalls.ExitCodeOf(9)); // killed by SIGKILL
    }
}
