using Lab.Runtime.Machines;
using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Machines;

public class MachineHostSmokeTests(MachineFixture fx) : IClassFixture<MachineFixture>
{
    [Fact]
    public async Task A_started_machine_runs_a_command_and_returns_its_output_and_exit_code()
    {
        var name = fx.NewName();
        var info = await fx.Host.StartAsync(name);
        Assert.Equal(MachineState.Running, info.State);
        var (code, stdout, stderr) = await fx.Sh(name, "hostname; echo oops >&2; exit 3");
        Assert.Equal(3, code);
        Assert.Equal(name + "\n", stdout);
        Assert.Equal("oops\n", stderr);
    }
}
