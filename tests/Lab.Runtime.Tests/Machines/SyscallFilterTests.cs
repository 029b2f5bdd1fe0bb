using System.Diagnostics;
using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Machines;

/// <summary>Attacks on the kernel surface Docker's seccomp profile closes, run as root inside a machine by a small
/// static C program. It is compiled here with gcc -static and copied into the machine through the host's view of
/// the machine's root, /proc/&lt;init pid&gt;/root (the simplest real way in: exec has no stdin yet, and the
/// machine's upper dir lives on a disk mounted only inside the machine).</summary>
public class SyscallFilterTests(MachineFixture fx) : IClassFixture<MachineFixture>
{
    private const string Attempts = """
        #define _GNU_SOURCE
        #include <errno.h>
        #include <fcntl.h>
        #include <sched.h>
        #include <stdio.h>
        #include <string.h>
        #include <sys/mount.h>
        #include <sys/personality.h>
        #include <sys/socket.h>
        #include <sys/syscall.h>
        #include <sys/wait.h>
        #include <unistd.h>

        static void report(const char *what, long rc)
        {
            printf("%s %s\n", what, rc < 0 ? strerrorname_np(errno) : "ok");
        }

        int main(void)
        {
            report("unshare-user", unshare(CLONE_NEWUSER));
            report("unshare-mount", unshare(CLONE_NEWNS));
            long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
            if (pid == 0) _exit(0);
            if (pid > 0) waitpid(pid, NULL, 0);
            report("clone-newuser", pid);
            report("clone3", syscall(SYS_clone3, NULL, 0));
            report("mount", mount("none", "/mnt", "tmpfs", 0, NULL));
            report("mount-cgroup", mount("cgroup", "/mnt", "cgroup", 0, "memory"));
            report("bpf", syscall(SYS_bpf, 0, NULL, 0));
            report("add_key", syscall(SYS_add_key, "user", "lab", "x", 1, -2));
            report("keyctl", syscall(SYS_keyctl, 1, "lab"));
            report("personality-norandom", personality(ADDR_NO_RANDOMIZE));
            report("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0));
            report("open_by_handle_at", syscall(SYS_open_by_handle_at, AT_FDCWD, NULL, 0));
            report("init_module", syscall(SYS_init_module, NULL, 0, ""));
            report("socket-vsock", socket(40, SOCK_STREAM, 0));
            report("setns", syscall(SYS_setns, 0, 0));
            /* What Docker's profile keeps allowed. */
            report("personality-query", personality(0xffffffff));
            report("socket-inet", socket(AF_INET, SOCK_STREAM, 0));
            pid = fork();
            if (pid == 0) _exit(0);
            if (pid > 0) waitpid(pid, NULL, 0);
            report("fork", pid);
            return 0;
        }
        """;

    private static readonly Lazy<byte[]> Program = new(Compile);

    private static byte[] Compile()
    {
        var dir = Directory.CreateTempSubdirectory("lab-attack-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "attempts.c"), Attempts);
            var gcc = Process.Start(new ProcessStartInfo("gcc", ["-static", "-O1", "-o", "attempts", "attempts.c"])
                { WorkingDirectory = dir, RedirectStandardError = true })!;
            var err = gcc.StandardError.ReadToEnd();
            gcc.WaitForExit();
            Assert.True(gcc.ExitCode == 0, err);
            return File.ReadAllBytes(Path.Combine(dir, "attempts"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private async Task<Dictionary<string, string>> RunAttempts()
    {
        var name = fx.NewName("sec");
        var info = await fx.Host.StartAsync(name);
        var target = $"/proc/{info.InitPid}/root/tmp/attempts";
        File.WriteAllBytes(target, Program.Value);
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var (code, stdout, stderr) = await fx.Exec(name, "/tmp/attempts");
        Assert.True(code == 0, stderr);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).ToDictionary(p => p[0], p => p[1]);
    }

    [Theory]
    [InlineData("unshare-user")] // would succeed without the filter: root may always make a user namespace
    [InlineData("unshare-mount")]
    [InlineData("clone-newuser")]
    [InlineData("mount")]
    [InlineData("mount-cgroup")] // the first step of the CVE-2022-0492 release_agent escape
    [InlineData("bpf")]
    [InlineData("add_key")] // keyrings are not namespaced: would succeed without the filter
    [InlineData("keyctl")]
    [InlineData("personality-norandom")]
    [InlineData("kexec_load")]
    [InlineData("open_by_handle_at")] // the 2014 "shocker" escape
    [InlineData("init_module")]
    [InlineData("socket-vsock")] // would be EAFNOSUPPORT or a socket without the filter
    [InlineData("setns")]
    public async Task Syscalls_dockers_profile_blocks_fail_with_EPERM(string attempt)
    {
        var results = await RunAttempts();
        Assert.Equal("EPERM", results[attempt]);
    }

    [Fact]
    public async Task Clone3_answers_ENOSYS_so_libc_falls_back_to_clone_and_allowed_calls_still_work()
    {
        var results = await RunAttempts();
        Assert.Equal("ENOSYS", results["clone3"]);
        Assert.Equal("ok", results["personality-query"]);
        Assert.Equal("ok", results["socket-inet"]);
        Assert.Equal("ok", results["fork"]);
    }

    [Fact]
    public async Task The_machines_init_and_every_exec_run_under_a_seccomp_filter()
    {
        var name = fx.NewName("sec");
        await fx.Host.StartAsync(name);
        var (_, stdout, _) = await fx.Sh(name, "grep '^Seccomp:' /proc/self/status /proc/1/status");
        Assert.Equal(["/proc/self/status:Seccomp:\t2", "/proc/1/status:Seccomp:\t2"],
            stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
