using Lab.Courses.Exercises.Checks;
using Lab.Courses.Grading;
using Lab.Runtime.Containers;
using Lab.Runtime.Images.Oci;
using Lab.Testing;

namespace Lab.Courses.Tests.Grading;

/// <summary>Container, image, file-in-container and exec-in-container checks against the runtime's real nested
/// containers (busybox image tagged in the machine's namespace of the shared test image store).</summary>
public sealed class RuntimeContainerFactsTests(LabMachineFixture fx) : RuntimeFactsTest(fx), IClassFixture<LabMachineFixture>
{
    protected override ContainerConfig BusyboxConfig => base.BusyboxConfig with { Labels = new Dictionary<string, string> { ["cours"] = "docker" } };

    [Fact]
    public async Task Container_image_file_and_exec_checks_read_the_runtime_state()
    {
        var web = new ContainerCheck("web") { Running = true, Image = "busybox", Command = "sleep 1000", Env = ["MODE=prod"], Restart = "always" };
        Assert.Contains("container 'web' does not exist", (await EvaluateAsync(web)).Detail);

        var record = await Containers.CreateAsync(Machine, new ContainerSpec
        {
            Image = "busybox", Name = "web", Cmd = ["sleep", "1000"], Env = ["MODE=prod"], RestartPolicy = new RestartPolicy("always"),
            PortBindings = [new Lab.Runtime.Containers.PortBinding("80/tcp", "", 8080)],
        });
        Assert.Contains("is not running", (await EvaluateAsync(web)).Detail);
        await Containers.StartAsync(Machine, record.Id);
        Assert.True((await EvaluateAsync(web)).Passed, (await EvaluateAsync(web)).Detail);
        Assert.Contains("runs image 'busybox'", (await EvaluateAsync(web with { Image = "nginx" })).Detail);
        Assert.True((await EvaluateAsync(web with { Ports = ["8080:80"] })).Passed);
        Assert.Contains("does not publish 8081:80", (await EvaluateAsync(web with { Ports = ["8081:80"] })).Detail);

        Assert.True((await EvaluateAsync(new ImageCheck("busybox:latest") { Cmd = "sh", Labels = ["cours=docker"], Layers = 1 })).Passed);
        Assert.Contains("image 'nginx' does not exist", (await EvaluateAsync(new ImageCheck("nginx"))).Detail);

        var file = new FileCheck("/tmp/page.html") { In = "web", Contains = "bonjour" };
        Assert.Contains("in container 'web' does not exist", (await EvaluateAsync(file)).Detail);
        var exec = await Containers.ExecAsync(Machine, "web", new ExecSpec { Cmd = ["sh", "-c", "echo bonjour > /tmp/page.html"] });
        Assert.Equal(0, await exec.Exited);
        Assert.True((await EvaluateAsync(file)).Passed);
        Assert.False((await EvaluateAsync(file with { In = null })).Passed); // the machine's /tmp is another file

        Assert.True((await EvaluateAsync(new ExecCheck(["cat", "/tmp/page.html"]) { In = "web", OutputContains = "bonjour" })).Passed);
        Assert.Contains("exited with 1", (await EvaluateAsync(new ExecCheck(["false"]) { In = "web" })).Detail);

        await Containers.StopAsync(Machine, "web", TimeSpan.Zero);
        Assert.Contains("is not running", (await EvaluateAsync(web)).Detail);
        Assert.True((await EvaluateAsync(new ContainerCheck("web") { Running = false, ExitCode = 137 })).Passed,
            (await EvaluateAsync(new ContainerCheck("web") { Running = false, ExitCode = 137 })).Detail);
    }

    [Fact]
    public async Task Http_checks_reach_a_published_port_inside_the_machine_only()
    {
        int port = 20000 + Random.Shared.Next(20000);
        var check = new HttpCheck(port) { BodyContains = "bonjour-http" };
        Assert.False((await EvaluateAsync(check)).Passed);

        var record = await Containers.CreateAsync(Machine, new ContainerSpec
        {
            Image = "busybox", Name = "site", PortBindings = [new Lab.Runtime.Containers.PortBinding("80/tcp", "", port)],
            Cmd = ["sh", "-c", "mkdir /www && echo bonjour-http > /www/index.html && exec httpd -f -p 80 -h /www"],
        });
        await Containers.StartAsync(Machine, record.Id);
        try
        {
            CheckVerdict verdict = await EvaluateAsync(check);
            for (int i = 0; i < 20 && !verdict.Passed; i++) { await Task.Delay(100); verdict = await EvaluateAsync(check); }

            Assert.True(verdict.Passed, verdict.Detail);
            Assert.Contains("answered 404", (await EvaluateAsync(check with { Path = "/absent" })).Detail);
            Assert.False((await EvaluateAsync(check with { BodyContains = "autre chose" })).Passed);
        }
        finally
        {
            await Containers.RemoveAsync(Machine, record.Id, force: true);
        }
    }

    [Fact]
    public async Task A_symlink_inside_a_container_does_not_lead_to_the_host()
    {
        var record = await Containers.CreateAsync(Machine, new ContainerSpec { Image = "busybox", Name = "piege", Cmd = ["sleep", "1000"] });
        await Containers.StartAsync(Machine, record.Id);
        var exec = await Containers.ExecAsync(Machine, "piege", new ExecSpec { Cmd = ["sh", "-c", "ln -s /etc/shadow /lien; ln -s /proc/1/root/etc/shadow /magique"] });
        Assert.Equal(0, await exec.Exited);

        var host = await File.ReadAllBytesAsync("/etc/shadow");
        foreach (var link in new[] { "/lien", "/magique" })
        {
            var read = await State.ReadFileAsync(FileScope.Container("piege"), link, 1 << 20, CancellationToken.None);
            Assert.True(read is null || !read.Content.AsSpan().SequenceEqual(host), link);
        }

        await Containers.KillAsync(Machine, "piege");
    }
}
