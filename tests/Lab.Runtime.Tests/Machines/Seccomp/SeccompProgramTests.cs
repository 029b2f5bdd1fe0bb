using Lab.Runtime.Machines.Seccomp;

namespace Lab.Runtime.Tests.Machines.Seccomp;

public class SeccompProgramTests
{
    private static string Helper => new RuntimeOptions { DataDir = Path.GetTempPath() }.ResolveInitHelper();

    [Fact]
    public void The_machine_rules_compile_once_into_one_bpf_program()
    {
        var a = SeccompProgram.For(Helper, SeccompRules.ForMachines);
        var b = SeccompProgram.For(Helper, SeccompRules.ForMachines);
        Assert.Same(a, b);
        Assert.True(a.Bpf.Length > 8 * 100, $"{a.Bpf.Length} bytes is too small for Docker's profile");
        Assert.Equal(0, a.Bpf.Length % 8); // struct sock_filter
    }

    [Fact]
    public void Syscalls_this_libseccomp_does_not_know_are_skipped_as_docker_does()
    {
        var known = SeccompProgram.For(Helper, new SeccompRules("default errno 1\nallow read\n"));
        var unknown = SeccompProgram.For(Helper, new SeccompRules("default errno 1\nallow read\nallow no_such_call_42\n"));
        Assert.Equal(known.Bpf, unknown.Bpf);
    }

    [Theory]
    [InlineData("allow read\n", "must start with 'default'")]
    [InlineData("default errno 1\nallow socket 0:near:40:0\n", "unknown comparison")]
    [InlineData("default errno 1\nfrobnicate read\n", "unknown rule")]
    public void A_malformed_rule_is_an_error_that_names_it(string rules, string message)
    {
        var e = Assert.Throws<LabException>(() => SeccompProgram.For(Helper, new SeccompRules(rules)));
        Assert.Contains(message, e.Message);
    }
}
