using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Machines;

public sealed class LabMachineFixture() : MachineFixture(TestImages.LabMachine);

/// <summary>The students' real Debian image, booted as a machine: the tools the first lesson uses are there and
/// the login shell is bash with a prompt naming the machine.</summary>
public class LabMachineImageTests(LabMachineFixture fx) : IClassFixture<LabMachineFixture>
{
    [Fact]
    public async Task The_lesson_tools_are_installed()
    {
        var name = fx.NewName("deb");
        await fx.Host.StartAsync(name);
        var (code, stdout, stderr) = await fx.Exec(name, "bash", "-c",
            "for t in bash ps ip curl less python3 vim.tiny; do command -v $t >/dev/null || echo missing $t; done; " +
            ". /etc/os-release; echo $VERSION_CODENAME; python3 -c 'print(6*7)'");
        Assert.True(code == 0, stderr);
        Assert.Equal("bookworm\n42\n", stdout);
    }

    [Fact]
    public async Task The_terminal_is_a_bash_login_shell_named_after_the_machine()
    {
        var name = fx.NewName("deb");
        await fx.Host.StartAsync(name);
        using var screen = new TerminalScreen(await fx.Host.OpenTerminalAsync(name));
        screen.Type("shopt -q login_shell && echo login; echo shell=$0 pid1=$(cat /proc/1/comm)\n");
        await screen.WaitFor("pid1=lab-init", TimeSpan.FromSeconds(15));
        Assert.Contains("login\r\nshell=/bin/bash", screen.Text);
        Assert.Contains($"root@{name}", screen.Text);
    }
}
