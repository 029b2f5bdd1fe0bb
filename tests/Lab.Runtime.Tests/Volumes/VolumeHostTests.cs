using Lab.Runtime.Containers;
using Lab.Runtime.Tests.Support;
using Lab.Runtime.Volumes;

namespace Lab.Runtime.Tests.Volumes;

/// <summary>Volumes of a real machine: their directory on its disk, in-use tracking, and removal that follows
/// nothing a student planted.</summary>
public sealed class VolumeHostTests(ContainerFixture f) : IClassFixture<ContainerFixture>
{
    private VolumeHost Volumes => f.Containers.Volumes;

    [Fact]
    public async Task A_volume_is_a_directory_on_the_machines_disk_until_removed()
    {
        var name = f.NewName("v");

        var created = await Volumes.CreateAsync(f.Machine, name, labels: new Dictionary<string, string> { ["k"] = "v" });
        await f.Sh(f.Machine, $"head -c 5000 /dev/zero > {created.Mountpoint}/f");
        var again = await Volumes.CreateAsync(f.Machine, name);
        var reclaimed = await Volumes.RemoveAsync(f.Machine, name);

        Assert.Equal("v", again.Labels["k"]); // an existing volume is returned as it is
        Assert.Equal(5000, reclaimed);
        Assert.Null(Volumes.Find(f.Machine, name));
        Assert.Equal(1, (await f.Sh(f.Machine, $"test -e {VolumePaths.DirOf(name)}")).Code);
    }

    [Fact]
    public async Task Removing_a_volume_whose_directory_became_a_symlink_deletes_only_the_link()
    {
        var name = f.NewName("v");
        await Volumes.CreateAsync(f.Machine, name);
        await f.Sh(f.Machine, $"mkdir -p /srv/keep && echo precious > /srv/keep/f && rm -r {VolumePaths.DirOf(name)} && ln -s /srv/keep {VolumePaths.DirOf(name)}");

        await Volumes.RemoveAsync(f.Machine, name);

        Assert.Equal("precious\n", (await f.Sh(f.Machine, "cat /srv/keep/f")).Out);
    }

    [Fact]
    public async Task A_volume_in_use_by_a_stopped_container_is_a_conflict_until_the_container_goes()
    {
        var name = f.NewName("v");
        var spec = await Volumes.ResolveMountsAsync(f.Machine, new ContainerSpec
        {
            Image = "busybox", Cmd = ["true"], Mounts = [new ContainerMount(ContainerMount.Volume, name, "/data")],
        });
        var record = await f.Containers.CreateAsync(f.Machine, spec);

        var e = await Assert.ThrowsAsync<LabException>(() => Volumes.RemoveAsync(f.Machine, name, force: true));
        await f.Containers.RemoveAsync(f.Machine, record.Id);
        await Volumes.RemoveAsync(f.Machine, name);

        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal($"remove {name}: volume is in use - [{record.Id}]", e.Message);
    }

    [Fact]
    public async Task Anonymous_volumes_go_with_their_container_unless_another_one_took_them()
    {
        var first = await f.Containers.CreateAsync(f.Machine, await Volumes.ResolveMountsAsync(f.Machine, new ContainerSpec
        {
            Image = "busybox", Cmd = ["true"], Mounts = [new ContainerMount(ContainerMount.Volume, "", "/anon")],
        }));
        var anonymous = Assert.Single(first.Spec.Mounts).Source;
        var second = await f.Containers.CreateAsync(f.Machine, await Volumes.ResolveMountsAsync(f.Machine, new ContainerSpec
        {
            Image = "busybox", Cmd = ["true"], VolumesFrom = [first.Id],
        }));

        await f.Containers.RemoveAsync(f.Machine, first.Id);
        await Volumes.RemoveAnonymousOfAsync(first);
        var keptForSecond = Volumes.Find(f.Machine, anonymous);
        await f.Containers.RemoveAsync(f.Machine, second.Id);
        await Volumes.RemoveAnonymousOfAsync(second);

        Assert.Matches("^[0-9a-f]{64}$", anonymous);
        Assert.NotNull(keptForSecond);
        Assert.True(keptForSecond.Labels.ContainsKey(VolumeHost.AnonymousLabel));
        Assert.Null(Volumes.Find(f.Machine, anonymous));
    }
}
