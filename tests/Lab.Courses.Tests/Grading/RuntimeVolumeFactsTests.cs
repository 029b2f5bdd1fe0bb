using Lab.Courses.Exercises.Checks;
using Lab.Courses.Grading;
using Lab.Runtime.Containers;
using Lab.Runtime.Images.Oci;
using Lab.Testing;

namespace Lab.Courses.Tests.Grading;

/// <summary>Volume checks against the runtime's real volumes: existence, files inside (read through the machine's
/// root, never the host's), and which container mounts them.</summary>
public sealed class RuntimeVolumeFactsTests(LabMachineFixture fx) : RuntimeFactsTest(fx), IClassFixture<LabMachineFixture>
{
    [Fact]
    public async Task Volume_checks_read_the_runtimes_volumes_and_their_files()
    {
        var check = new VolumeCheck("notes") { ContainsFile = "/todo.txt", MountedBy = "writer" };
        Assert.Contains("volume 'notes' does not exist", (await EvaluateAsync(check)).Detail);

        await Containers.Volumes.CreateAsync(Machine, "notes");
        var record = await Containers.CreateAsync(Machine, new ContainerSpec
        {
            Image = "busybox", Name = "writer", Cmd = ["sh", "-c", "echo x > /data/todo.txt; ln -s /etc/shadow /data/lien"],
            Mounts = [new ContainerMount(ContainerMount.Volume, "notes", "/data")],
        });
        await Containers.StartAsync(Machine, record.Id);
        Assert.Equal(0, await Containers.WaitAsync(Machine, record.Id).WaitAsync(TimeSpan.FromSeconds(30)));

        var verdict = await EvaluateAsync(check);
        Assert.True(verdict.Passed, verdict.Detail);
        Assert.Contains("has no file /absent", (await EvaluateAsync(check with { ContainsFile = "/absent" })).Detail);
        Assert.Contains("has no file /lien", (await EvaluateAsync(check with { ContainsFile = "/lien" })).Detail); // not the host's /etc/shadow
        Assert.Contains("is not mounted by container 'other'", (await EvaluateAsync(check with { MountedBy = "other", ContainsFile = null })).Detail);
        Assert.True((await EvaluateAsync(new VolumeCheck("absent") { Exists = false })).Passed);
    }
}
