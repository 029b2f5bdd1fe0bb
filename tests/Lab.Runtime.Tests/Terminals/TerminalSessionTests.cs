using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Terminals;

public class TerminalSessionTests(MachineFixture fx) : IClassFixture<MachineFixture>
{
    private async Task<string> Started()
    {
        var name = fx.NewName("term");
        await fx.Host.StartAsync(name);
        return name;
    }

    [Fact]
    public async Task The_shell_runs_on_a_pty_of_the_machines_own_devpts()
    {
        var name = await Started();
        using var screen = new TerminalScreen(await fx.Host.OpenTerminalAsync(name));
        screen.Type("tty; echo sum-$((40+2))\n");
        await screen.WaitFor("sum-42", TimeSpan.FromSeconds(10));
        Assert.Contains("/dev/pts/0", screen.Text);
    }

    [Fact]
    public async Task Detaching_keeps_the_shell_and_reattaching_replays_the_screen()
    {
        var name = await Started();
        var session = await fx.Host.OpenTerminalAsync(name);
        using (var first = new TerminalScreen(session))
        {
            first.Type("export KEPT=yes-$((3*3)); echo first-$((1+1))\n");
            await first.WaitFor("first-2", TimeSpan.FromSeconds(10));
        }
        // The browser tab closed; a new one opens.
        var again = await fx.Host.OpenTerminalAsync(name);
        Assert.Same(session, again);
        using var second = new TerminalScreen(again);
        Assert.Contains("first-2", System.Text.Encoding.UTF8.GetString(second.Replayed));
        second.Type("echo $KEPT\n");
        await second.WaitFor("yes-9", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task At_least_64_KiB_of_scrollback_are_replayed()
    {
        var name = await Started();
        var session = await fx.Host.OpenTerminalAsync(name);
        using (var screen = new TerminalScreen(session))
        {
            // 2000 numbered lines of ~60 bytes: ~120 KiB, more than the required 64 KiB.
            screen.Type("i=0; while [ $i -lt 2000 ]; do echo \"line $i ..................................................\"; i=$((i+1)); done; echo end-$((5*5))\n");
            await screen.WaitFor("end-25", TimeSpan.FromSeconds(30));
        }
        using var reattached = new TerminalScreen(session);
        var replay = System.Text.Encoding.UTF8.GetString(reattached.Replayed);
        Assert.True(reattached.Replayed.Length >= 64 * 1024, $"only {reattached.Replayed.Length} bytes replayed");
        Assert.Contains("line 1999 ", replay);
        Assert.Contains("line 1000 ", replay);
    }

    [Fact]
    public async Task Resizing_changes_the_window_size_the_shell_sees()
    {
        var name = await Started();
        var session = await fx.Host.OpenTerminalAsync(name);
        using var screen = new TerminalScreen(session);
        session.Resize(132, 43);
        screen.Type("stty size\n");
        await screen.WaitFor("43 132", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task When_the_shell_exits_the_next_open_starts_a_new_one()
    {
        var name = await Started();
        var session = await fx.Host.OpenTerminalAsync(name);
        var exited = new TaskCompletionSource();
        using var attachment = session.Attach(_ => { }, () => exited.TrySetResult());
        session.Write("exit 7\n"u8);
        await exited.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(session.HasExited);
        Assert.Equal(7, session.ExitCode);
        var fresh = await fx.Host.OpenTerminalAsync(name);
        Assert.NotSame(session, fresh);
        Assert.False(fresh.HasExited);
    }
}
