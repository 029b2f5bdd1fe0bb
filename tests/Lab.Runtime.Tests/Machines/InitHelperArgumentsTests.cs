using Lab.Runtime.Containers;
using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Machines;

/// <summary>What a student's `ps -ef` shows of lab-init: the machine's init, its container agent, the processes
/// of a machine exec or a container exec before they exec, and a container's first process before its command.
/// None of them may show the host (the helper's path, LAB_DATA, the image store, cgroup paths, other machines).</summary>
public sealed class InitHelperArgumentsTests(ContainerFixture f) : IClassFixture<ContainerFixture>
{
    // Every process's cmdline and environ, NULs as spaces, one "pid: cmdline | environ" line each, sampled over
    // and over for as long as the host keeps starting processes (it removes /tmp/sampling to stop it).
    const string Sampler = """
        touch /tmp/sampling
        while [ -e /tmp/sampling ]; do
          for p in /proc/[0-9]*; do
            c=$(tr '\0' ' ' < $p/cmdline 2>/dev/null); e=$(tr '\0' ' ' < $p/environ 2>/dev/null)
            echo "${p#/proc/}: $c | $e"
          done
        done
        """;

    [Fact]
    public async Task No_process_visible_inside_a_machine_shows_a_host_path_in_its_arguments_or_environment()
    {
        var other = await f.NewMachineAsync();
        var sleeper = await f.Containers.CreateAsync(f.Machine, new ContainerSpec { Image = "busybox", Cmd = ["sleep", "60"] });
        await f.Containers.StartAsync(f.Machine, sleeper.Id);
        try
        {
            var sampling = f.Sh(f.Machine, Sampler);
            await WaitUntilAsync(async () => (await f.Sh(f.Machine, "test -e /tmp/sampling")).Code == 0);
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(0, (await f.RunAsync("true")).Code);
                Assert.Equal(0, (await f.Sh(f.Machine, "true")).Code);
                var exec = await f.Containers.ExecAsync(f.Machine, sleeper.Id, new ExecSpec { Cmd = ["true"] });
                Assert.Equal(0, await exec.Exited.WaitAsync(TimeSpan.FromSeconds(30)));
            }
            Assert.Equal(0, (await f.Sh(f.Machine, "rm /tmp/sampling")).Code);
            var (code, seen, err) = await sampling.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(code == 0, err);

            var lines = seen.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            string[] host =
            [
                Path.GetDirectoryName(f.Host.Helper.Path)!, f.DataDir, TestImages.StoreDir, "/sys/fs/cgroup/",
                f.Host.Options.CgroupParent, other,
            ];
            foreach (var line in lines)
                foreach (var word in host)
                    Assert.False(line.Contains(word, StringComparison.Ordinal), $"'{word}' seen inside the machine: {line}");
            // The sampler saw what it should: the machine's init and the agent, both lab-init, by name only.
            Assert.Contains(lines, line => line.StartsWith("1: lab-init boot ", StringComparison.Ordinal));
            Assert.Contains(lines, line => line.Contains(": lab-init agent ", StringComparison.Ordinal));
        }
        finally
        {
            await f.Containers.RemoveAsync(f.Machine, sleeper.Id, force: true);
        }
    }

    static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(50);
        }
    }
}
