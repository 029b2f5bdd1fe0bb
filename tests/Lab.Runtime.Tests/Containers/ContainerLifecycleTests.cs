using Lab.Runtime.Containers;
using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Containers;

public sealed class ContainerLifecycleTests(ContainerFixture f) : IClassFixture<ContainerFixture>
{
    [Fact]
    public async Task A_container_runs_its_command_and_its_output_is_logged()
    {
        var (code, output, record) = await f.RunAsync("echo", "hello from a nested container");

        Assert.Equal(0, code);
        Assert.Equal("hello from a nested container\n", output);
        Assert.Equal(ContainerStatus.Exited, record.State.Status);
        Assert.NotNull(record.State.FinishedAt);
    }

    [Fact]
    public async Task The_exit_code_of_pid_1_is_the_containers()
    {
        var (code, _, record) = await f.RunAsync("sh", "-c", "exit 3");

        Assert.Equal(3, code);
        Assert.Equal(3, record.State.ExitCode);
    }

    [Fact]
    public async Task The_command_is_pid_1_of_its_own_pid_namespace_and_the_hostname_is_the_short_id()
    {
        await f.Sh(f.Machine, "sleep 4242 >/dev/null 2>&1 &");
        try
        {
            var (_, output, record) = await f.RunAsync("sh", "-c", "echo $$; hostname; ps -o args");

            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("1", lines[0]);
            Assert.Equal(record.Id[..12], lines[1]);
            Assert.DoesNotContain(lines, l => l.Contains("sleep 4242")); // the machine's processes are not in sight
            Assert.Contains("sleep 4242", (await f.Sh(f.Machine, "ps -o args")).Out); // the machine sees its own
        }
        finally
        {
            await f.Sh(f.Machine, "pkill -f 'sleep 4242'");
        }
    }

    [Fact]
    public async Task A_command_that_does_not_exist_fails_to_start_with_127_and_dockerds_words()
    {
        var record = await f.CreateAsync("no-such-command");

        var error = await Assert.ThrowsAsync<LabException>(() => f.Containers.StartAsync(f.Machine, record.Id));

        Assert.Contains("no-such-command", error.Message);
        var after = f.Containers.Get(f.Machine, record.Id);
        Assert.Equal(ContainerStatus.Created, after.State.Status);
        Assert.Equal(127, after.State.ExitCode);
        Assert.False(string.IsNullOrEmpty(after.State.Error));
    }

    [Fact]
    public async Task Stop_sends_the_stop_signal_then_kills_after_the_timeout()
    {
        var polite = await f.CreateAsync("sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done");
        var stubborn = await f.CreateAsync("sleep", "1000"); // PID 1 without a handler ignores SIGTERM
        await f.Containers.StartAsync(f.Machine, polite.Id);
        await f.Containers.StartAsync(f.Machine, stubborn.Id);

        await f.Containers.StopAsync(f.Machine, polite.Id, TimeSpan.FromSeconds(10));
        await f.Containers.StopAsync(f.Machine, stubborn.Id, TimeSpan.FromSeconds(1));

        Assert.Equal(0, f.Containers.Get(f.Machine, polite.Id).State.ExitCode);
        Assert.Equal(137, f.Containers.Get(f.Machine, stubborn.Id).State.ExitCode);
        Assert.Empty(f.Host.Cgroups.PathsOf(stubborn.CgroupName)); // its cgroup went with it
    }

    [Fact]
    public async Task Kill_delivers_any_signal_and_refuses_a_stopped_container()
    {
        var record = await f.CreateAsync("sh", "-c", "trap 'echo got USR1; exit 7' USR1; while :; do sleep 0.1; done");
        await f.Containers.StartAsync(f.Machine, record.Id);
        await Task.Delay(300); // let the shell install its trap

        await f.Containers.KillAsync(f.Machine, record.Id, "USR1");
        int code = await f.Containers.WaitAsync(f.Machine, record.Id).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(7, code);
        Assert.Contains("got USR1", await f.LogsAsync(record.Id));
        var error = await Assert.ThrowsAsync<LabException>(() => f.Containers.KillAsync(f.Machine, record.Id));
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Contains("is not running", error.Message);
    }

    [Fact]
    public async Task Pause_freezes_every_process_and_unpause_lets_them_run_on()
    {
        var record = await f.CreateAsync("sh", "-c", "i=0; while :; do i=$((i+1)); echo $i > /tmp/count; sleep 0.05; done");
        await f.Containers.StartAsync(f.Machine, record.Id);
        await Task.Delay(300);

        await f.Containers.PauseAsync(f.Machine, record.Id);
        var frozenAt = await CountAsync(record);
        await Task.Delay(500);
        var stillAt = await CountAsync(record);
        Assert.Equal(ContainerStatus.Paused, f.Containers.Get(f.Machine, record.Id).State.Status);
        Assert.True(f.Host.Cgroups.IsFrozen(record.CgroupName));
        await f.Containers.UnpauseAsync(f.Machine, record.Id);
        await Task.Delay(500);

        Assert.Equal(frozenAt, stillAt);
        Assert.True(await CountAsync(record) > stillAt);
        await f.Containers.RemoveAsync(f.Machine, record.Id, force: true);
    }

    // Read from the machine, where the container's writable layer lives.
    private async Task<int> CountAsync(ContainerRecord record)
    {
        var (_, text, _) = await f.Sh(f.Machine, $"cat /var/lib/lab/containers/{record.Id}/upper/tmp/count");
        return int.Parse(text.Trim());
    }

    [Fact]
    public async Task Restart_policy_on_failure_retries_up_to_its_maximum()
    {
        var record = await f.Containers.CreateAsync(f.Machine, new ContainerSpec
        {
            Image = "busybox", Cmd = ["sh", "-c", "echo try; exit 1"], RestartPolicy = RestartPolicy.Parse("on-failure", 2),
        });
        await f.Containers.StartAsync(f.Machine, record.Id);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        ContainerRecord current;
        while ((current = f.Containers.Get(f.Machine, record.Id)).RestartCount < 2 || current.State.Status != ContainerStatus.Exited)
        {
            Assert.True(DateTime.UtcNow < deadline, $"restart count {current.RestartCount}, status {current.State.Status}");
            await Task.Delay(100);
        }
        await Task.Delay(1000); // no third restart comes
        current = f.Containers.Get(f.Machine, record.Id);
        Assert.Equal(2, current.RestartCount);
        Assert.Equal(ContainerStatus.Exited, current.State.Status);
        Assert.Equal(3, (await f.LogsAsync(record.Id)).Split("try").Length - 1);
    }

    [Fact]
    public async Task Rm_refuses_a_running_container_then_force_removes_it_and_its_files()
    {
        var record = await f.CreateAsync("sh", "-c", "echo data > /kept; sleep 1000");
        await f.Containers.StartAsync(f.Machine, record.Id);
        await Task.Delay(200);

        var refused = await Assert.ThrowsAsync<LabException>(() => f.Containers.RemoveAsync(f.Machine, record.Id));
        Assert.Equal(ErrorKind.Conflict, refused.Kind);
        Assert.Equal(0, (await f.Sh(f.Machine, $"test -f /var/lib/lab/containers/{record.Id}/upper/kept")).Code);
        await f.Containers.RemoveAsync(f.Machine, record.Id, force: true);

        Assert.Null(f.Containers.Find(f.Machine, record.Id));
        Assert.NotEqual(0, (await f.Sh(f.Machine, $"test -e /var/lib/lab/containers/{record.Id}")).Code);
    }

    [Fact]
    public async Task Names_are_unique_per_machine_and_rename_keeps_them_so()
    {
        var first = await f.Containers.CreateAsync(f.Machine, new ContainerSpec { Image = "busybox", Name = "web", Cmd = ["true"] });
        var conflict = await Assert.ThrowsAsync<LabException>(() =>
            f.Containers.CreateAsync(f.Machine, new ContainerSpec { Image = "busybox", Name = "web", Cmd = ["true"] }));
        Assert.Equal(ErrorKind.Conflict, conflict.Kind);
        Assert.Contains("The container name \"/web\" is already in use", conflict.Message);

        await f.Containers.RenameAsync(f.Machine, "web", "api");

        Assert.Equal(first.Id, f.Containers.Get(f.Machine, "api").Id);
        Assert.Null(f.Containers.Find(f.Machine, "web"));
        var invalid = await Assert.ThrowsAsync<LabException>(() => f.Containers.RenameAsync(f.Machine, "api", "bad name!"));
        Assert.Equal(ErrorKind.InvalidParameter, invalid.Kind);
        await f.Containers.RemoveAsync(f.Machine, "api");
    }

    [Fact]
    public async Task An_unknown_image_is_dockerds_no_such_image()
    {
        var error = await Assert.ThrowsAsync<LabException>(() =>
            f.Containers.CreateAsync(f.Machine, new ContainerSpec { Image = "nginx" }));

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal("No such image: nginx:latest", error.Message);
    }
}
