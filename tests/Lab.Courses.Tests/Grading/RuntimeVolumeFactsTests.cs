using Lab.Courses.Exercises.Checks;
using Lab.Courses.Grading;
using Lab.Runtime.Containers;
using Lab.Runtime.Images.Oci;
using Lab.Testing;

namespace Lab.Courses.Tests.Grading;

/// <summary>Volume checks against the runtime's real volumes: existence, files inside (read through the machine's
/// root, never the host's), and which container mounts them.</summary>
public sealed class RuntimeVolumeFactsTests(LabMachineFixture fx) : IClassFixture<LabMachineFixture>, IAsyncLifetime
{
    private ImageStore images = null!;
    private ContainerHost containers = null!;

    private LabMachineState State => new(fx.Host, fx.Machine, () => [], new RuntimeContainerFacts(containers));

    public async Task InitializeAsync()
    {
        images = new ImageStore(TestImages.StoreDir);
        containers = new ContainerHost(fx.Host, images);
        var config = new ContainerConfig { Env = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], Cmd = ["sh"] };
        var manifest = await RecipeImageConverter.ToOciImageAsync(TestImages.Recipe("busybox"), config, images.Content);
        await images.Names(fx.Machine).TagAsync(Reference.Parse("busybox"), manifest);
    }

    public Task DisposeAsync()
    {
        containers.Dispose();
        File.Delete(Path.Combine(images.Root, "names", fx.Machine + ".json"));
        return Task.CompletedTask;
    }

    private async Task<CheckVerdict> EvaluateAsync(Check check) => await CheckEvaluator.EvaluateAsync(check, State, CancellationToken.None);

    [Fact]
    public async Task Volume_checks_read_the_runtimes_volumes_and_their_files()
    {
        var check = new VolumeCheck("notes") { ContainsFile = "/todo.txt", MountedBy = "writer" };
        Assert.Contains("volume 'notes' does not exist", (await EvaluateAsync(check)).Detail);

        await containers.Volumes.CreateAsync(fx.Machine, "notes");
        var record = await containers.CreateAsync(fx.Machine, new ContainerSpec
        {
            Image = "busybox", Name = "writer", Cmd = ["sh", "-c", "echo x > /data/todo.txt; ln -s /etc/shadow /data/lien"],
            Mounts = [new ContainerMount(ContainerMount.Volume, "notes", "/data")],
        });
        await containers.StartAsync(fx.Machine, record.Id);
        Assert.Equal(0, await containers.WaitAsync(fx.Machine, record.Id).WaitAsync(TimeSpan.FromSeconds(30)));

        var verdict = await EvaluateAsync(check);
        Assert.True(verdict.Passed, verdict.Detail);
        Assert.Contains("has no file /absent", (await EvaluateAsync(check with { ContainsFile = "/absent" })).Detail);
        Assert.Contains("has no file /lien", (await EvaluateAsync(check with { ContainsFile = "/lien" })).Detail); // not the host's /etc/shadow
        Assert.Contains("is not mounted by container 'other'", (await EvaluateAsync(check with { MountedBy = "other", ContainsFile = null })).Detail);
        Assert.True((await EvaluateAsync(new VolumeCheck("absent") { Exists = false })).Passed);
    }
}
