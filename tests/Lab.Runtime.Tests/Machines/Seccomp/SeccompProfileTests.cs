using Lab.Runtime.Machines;
using Lab.Runtime.Machines.Seccomp;

namespace Lab.Runtime.Tests.Machines.Seccomp;

public class SeccompProfileTests
{
    private static IReadOnlyList<string> Rules(IEnumerable<int> caps, string kernel = "6.1") =>
        SeccompProfile.DockerDefault.Evaluate(caps.ToHashSet(), SeccompArch.Amd64, Version.Parse(kernel))
            .Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void With_dockers_default_capabilities_namespaces_mounts_and_keyrings_are_refused_and_clone_is_conditional()
    {
        var rules = Rules(Capabilities.DockerDefault);
        Assert.Equal("default errno 1", rules[0]);
        Assert.Equal(["arch x86", "arch x32"], rules.Where(r => r.StartsWith("arch ")));
        Assert.Contains("allow read", rules);
        Assert.Contains("allow arch_prctl", rules);
        Assert.Contains("allow chroot", rules); // CAP_SYS_CHROOT is one of Docker's defaults
        Assert.Contains("allow clone 0:masked_eq:2114060288:0", rules);
        Assert.Contains("allow socket 0:ne:40:0", rules);
        Assert.Contains("allow personality 0:eq:4294967295:0", rules);
        Assert.Contains("errno 38 clone3", rules);
        foreach (var refused in new[] { "mount", "unshare", "setns", "bpf", "add_key", "keyctl", "kexec_load",
                     "init_module", "open_by_handle_at", "reboot", "swapon", "clone", "socket", "personality" })
            Assert.DoesNotContain($"allow {refused}", rules);
        Assert.DoesNotContain(rules, r => r.StartsWith("allow s390_") || r.StartsWith("allow riscv_"));
    }

    [Fact]
    public void Cap_sys_admin_opens_its_group_and_lifts_the_clone_conditions()
    {
        var rules = Rules([.. Capabilities.DockerDefault, Capabilities.CAP_SYS_ADMIN]);
        Assert.Contains("allow mount", rules);
        Assert.Contains("allow unshare", rules);
        Assert.Contains("allow clone", rules);
        Assert.Contains("allow clone3", rules);
        Assert.DoesNotContain("errno 38 clone3", rules);
        Assert.DoesNotContain("allow clone 0:masked_eq:2114060288:0", rules);
    }

    [Fact]
    public void Ptrace_is_allowed_only_from_kernel_4_8_and_chroot_only_with_its_capability()
    {
        Assert.DoesNotContain("allow ptrace", Rules(Capabilities.DockerDefault, "4.4"));
        Assert.Contains("allow ptrace", Rules(Capabilities.DockerDefault, "5.10"));
        Assert.DoesNotContain("allow chroot", Rules(Capabilities.DockerDefault.Where(c => c != Capabilities.CAP_SYS_CHROOT)));
    }

    [Fact]
    public void A_profile_in_dockers_format_is_read_with_its_conditions()
    {
        var profile = SeccompProfile.Parse("""
            {"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":13,"syscalls":[
              {"names":["a","b"],"action":"SCMP_ACT_ALLOW","args":[{"index":1,"value":7,"valueTwo":2,"op":"SCMP_CMP_MASKED_EQ"}]},
              {"names":["c"],"action":"SCMP_ACT_ERRNO","errnoRet":22,"excludes":{"arches":["amd64"]}},
              {"names":["d"],"action":"SCMP_ACT_ERRNO"}]}
            """);
        var text = profile.Evaluate(new HashSet<int>(), SeccompArch.Amd64, new Version(6, 1)).Text;
        Assert.Equal("default errno 13\nallow a 1:masked_eq:7:2\nallow b 1:masked_eq:7:2\nerrno 1 d\n", text);
    }

    [Fact]
    public void Unsupported_actions_are_refused_rather_than_weakened()
    {
        var profile = SeccompProfile.Parse("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]}""");
        Assert.Throws<LabException>(() => profile.Evaluate(new HashSet<int>(), SeccompArch.Amd64, new Version(6, 1)));
    }
}
