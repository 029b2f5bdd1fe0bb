using Lab.Runtime.Containers;
using Lab.Runtime.Tests.Support;
using Lab.Runtime.Volumes;

namespace Lab.Runtime.Tests.Volumes;

/// <summary>Binds, volumes and tmpfs of nested containers (lab-init run --mount/--tmpfs): sources resolve inside the
/// lab machine, targets inside the container, and no "..", symlink or magic link leads out of either.</summary>
public sealed class ContainerMountTests(ContainerFixture f) : IClassFixture<ContainerFixture>
{
    private Task<(int Code, string Output, ContainerRecord Record)> Run(string script, params ContainerMount[] mounts) =>
        f.RunAsync(new ContainerSpec { Image = "busybox", Cmd = ["sh", "-c", script], Mounts = mounts });

    private string Dir() => "/srv/" + f.NewName("m");

    [Fact]
    public async Task A_machine_directory_bound_read_write_shares_files_both_ways()
    {
        var dir = Dir();
        await f.Sh(f.Machine, $"mkdir -p {dir} && echo from-machine > {dir}/in");

        var (code, output, _) = await Run("cat /data/in && echo from-container > /data/out",
            new ContainerMount(ContainerMount.Bind, dir, "/data"));

        Assert.Equal(0, code);
        Assert.Equal("from-machine\n", output);
        Assert.Equal("from-container\n", (await f.Sh(f.Machine, $"cat {dir}/out")).Out);
    }

    [Fact]
    public async Task A_machine_file_binds_onto_a_file_created_in_the_container_or_replaces_one()
    {
        var file = Dir() + ".txt";
        await f.Sh(f.Machine, $"mkdir -p /srv && echo per-container > {file}");

        var (code, output, _) = await Run("cat /etc/made-here /etc/hostname; ls -l /etc/made-here | cut -c1",
            new ContainerMount(ContainerMount.Bind, file, "/etc/made-here") { ReadOnly = true },
            new ContainerMount(ContainerMount.Bind, file, "/etc/hostname"));

        Assert.Equal(0, code);
        Assert.Equal("per-container\nper-container\n-\n", output);
    }

    [Fact]
    public async Task A_read_only_bind_refuses_writes_with_EROFS()
    {
        var dir = Dir();
        await f.Sh(f.Machine, $"mkdir -p {dir}");

        var (code, output, _) = await Run("echo x > /data/f 2>&1; echo rc=$?",
            new ContainerMount(ContainerMount.Bind, dir, "/data") { ReadOnly = true });

        Assert.Equal(0, code);
        Assert.Contains("Read-only file system", output);
        Assert.Equal(1, (await f.Sh(f.Machine, $"test -e {dir}/f")).Code);
    }

    [Fact]
    public async Task A_missing_source_is_created_only_when_asked()
    {
        var dir = Dir();

        var refused = await Assert.ThrowsAsync<LabException>(() =>
            Run("true", new ContainerMount(ContainerMount.Bind, dir, "/data")));
        var (code, _, _) = await Run("touch /data/made", new ContainerMount(ContainerMount.Bind, dir, "/data") { CreateSource = true });

        Assert.Contains("No such file", refused.Message);
        Assert.Equal(0, code);
        Assert.Equal(0, (await f.Sh(f.Machine, $"test -f {dir}/made")).Code);
    }

    [Fact]
    public async Task Dot_dot_and_symlinks_in_the_source_stay_inside_the_machine()
    {
        var dir = Dir();
        await f.Sh(f.Machine, $"mkdir -p {dir} && ln -s /../../../../../etc {dir}/up");
        var hostName = File.ReadAllText("/etc/hostname").Trim();

        var viaDots = await Run("cat /x/hostname", new ContainerMount(ContainerMount.Bind, "/../../../../etc", "/x"));
        var viaLink = await Run("cat /x/hostname", new ContainerMount(ContainerMount.Bind, $"{dir}/up", "/x"));
        var viaProc = await Assert.ThrowsAsync<LabException>(() =>
            Run("true", new ContainerMount(ContainerMount.Bind, "/proc/1/root/etc", "/x")));

        Assert.Equal(f.Machine + "\n", viaDots.Output);
        Assert.Equal(f.Machine + "\n", viaLink.Output);
        Assert.NotEqual(f.Machine, hostName);
        Assert.Contains("mount source", viaProc.Message);
    }

    [Fact]
    public async Task A_symlink_on_the_target_path_lands_inside_the_container()
    {
        var volume = f.NewName("v");
        var dir = Dir();
        await f.Sh(f.Machine, $"mkdir -p {dir} {VolumePaths.DataDir(volume)} && ln -s /../../../../../tmp {VolumePaths.DataDir(volume)}/esc && echo bound > {dir}/f");
        string marker = f.NewName("landed");

        var (code, output, record) = await Run($"cat /tmp/{marker}/f",
            new ContainerMount(ContainerMount.Bind, dir, $"/mnt/esc/{marker}"),
            new ContainerMount(ContainerMount.Volume, volume, "/mnt"));

        Assert.Equal(0, code);
        Assert.Equal("bound\n", output);
        Assert.False(Directory.Exists($"/tmp/{marker}"));
        Assert.Equal(1, (await f.Sh(f.Machine, $"test -e /tmp/{marker}")).Code);
        Assert.Equal(0, (await f.Sh(f.Machine, $"test -d /var/lib/lab/containers/{record.Id}/upper/tmp/{marker}")).Code);
    }

    [Fact]
    public async Task A_volume_whose_data_dir_was_replaced_by_a_symlink_is_refused()
    {
        var volume = f.NewName("v");
        await f.Sh(f.Machine, $"mkdir -p {VolumePaths.DirOf(volume)} && ln -s /etc {VolumePaths.DataDir(volume)}");

        var e = await Assert.ThrowsAsync<LabException>(() => Run("ls /x", new ContainerMount(ContainerMount.Volume, volume, "/x")));

        Assert.Contains("Too many levels of symbolic links", e.Message);
    }

    [Fact]
    public async Task An_empty_volume_gets_the_images_content_once_and_keeps_its_own_after()
    {
        var volume = f.NewName("v");

        var first = await Run("cat /etc/passwd | head -1; echo changed > /etc/marker", new ContainerMount(ContainerMount.Volume, volume, "/etc"));
        var second = await Run("cat /etc/marker", new ContainerMount(ContainerMount.Volume, volume, "/etc"));
        var nocopy = await Run("ls -A /etc | tr '\\n' ' '", new ContainerMount(ContainerMount.Volume, f.NewName("v"), "/etc") { NoCopy = true });

        Assert.StartsWith("root:", first.Output);
        Assert.Equal("changed\n", second.Output);
        // Nothing of the image's /etc; only the mount points of the network files, made on the volume (as dockerd does).
        Assert.Equal("hostname hosts resolv.conf", nocopy.Output.Trim());
        Assert.Equal(0, (await f.Sh(f.Machine, $"test -f {VolumePaths.DataDir(volume)}/passwd")).Code);
    }

    [Fact]
    public async Task A_tmpfs_has_dockers_flags_and_the_size_asked()
    {
        var (code, output, _) = await Run("grep ' /scratch ' /proc/mounts; echo hi > /scratch/f && cat /scratch/f",
            new ContainerMount(ContainerMount.Tmpfs, "", "/scratch") { TmpfsSize = 8 << 20, TmpfsMode = 0x1ff });

        Assert.Equal(0, code);
        Assert.Contains("tmpfs /scratch tmpfs rw,nosuid,nodev,noexec", output);
        Assert.Contains("size=8192k", output);
        Assert.Contains("mode=777", output);
        Assert.EndsWith("hi\n", output);
    }

    [Fact]
    public void Mount_arguments_escape_colons_and_put_parents_first()
    {
        var args = MountArgs.For([
            new ContainerMount(ContainerMount.Bind, "/a:b", "/data/sub") { ReadOnly = true },
            new ContainerMount(ContainerMount.Volume, "v1", "/data"),
        ]);

        Assert.Equal(["--mount", "/var/lib/lab/volumes/v1/_data:/data:nosymlinks,mksrc,copyup", "--mount", @"/a\:b:/data/sub:ro"], args);
    }
}
