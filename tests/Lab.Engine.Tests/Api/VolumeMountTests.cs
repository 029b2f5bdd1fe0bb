using System.Text.Json;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary>-v, --mount, --tmpfs, --volumes-from and image VOLUMEs through the real CLIs in a real lab machine: data
/// outlives containers, binds resolve inside the machine, nothing leads out of the machine or the container.</summary>
public sealed class VolumeMountTests(VolumeMachineFixture f) : IClassFixture<VolumeMachineFixture>
{
    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Volume_data_survives_the_container_and_the_next_one_sees_it(string cli)
    {
        var name = f.Unique("data");

        (await f.Docker(cli, "run", "--rm", "-v", $"{name}:/data", "busybox", "sh", "-c", "echo kept > /data/f")).Succeeded();
        var second = (await f.Docker(cli, "run", "--rm", "-v", $"{name}:/data", "busybox", "cat", "/data/f")).Succeeded();

        Assert.Equal("kept\n", second.Stdout);
        Assert.Equal("kept\n", await f.Sh($"cat /var/lib/lab/volumes/{name}/_data/f"));
    }

    [Fact]
    public async Task An_empty_named_volume_is_filled_from_the_image_at_first_mount()
    {
        var name = f.Unique("etc");

        var run = (await f.Docker("cli28", "run", "--rm", "-v", $"{name}:/etc", "busybox", "head", "-1", "/etc/passwd")).Succeeded();

        Assert.StartsWith("root:", run.Stdout);
        Assert.StartsWith("root:", await f.Sh($"head -1 /var/lib/lab/volumes/{name}/_data/passwd"));
    }

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task A_machine_directory_binds_read_write_and_read_only(string cli)
    {
        var dir = "/srv/" + f.Unique("share");
        await f.Sh($"mkdir -p {dir}");

        (await f.Docker(cli, "run", "--rm", "-v", $"{dir}:/s", "busybox", "sh", "-c", "echo hi > /s/a")).Succeeded();
        var readOnly = await f.Docker(cli, "run", "--rm", "-v", $"{dir}:/s:ro", "busybox", "sh", "-c", "cat /s/a; echo x > /s/b");

        Assert.Equal("hi\n", await f.Sh($"cat {dir}/a"));
        Assert.NotEqual(0, readOnly.ExitCode);
        Assert.Equal("hi\n", readOnly.Stdout);
        Assert.Contains("Read-only file system", readOnly.Stderr);
        Assert.Equal("", await f.Sh($"ls {dir}/b 2>/dev/null"));
    }

    [Fact]
    public async Task A_missing_bind_source_is_created_by_dash_v_and_refused_by_mount()
    {
        var dir = "/srv/" + f.Unique("made");

        var refused = await f.Docker("cli28", "run", "--rm", "--mount", "type=bind,src=/nope,dst=/x", "busybox", "true");
        (await f.Docker("cli28", "run", "--rm", "-v", $"{dir}:/x", "busybox", "touch", "/x/f")).Succeeded();

        Assert.Equal(125, refused.ExitCode);
        Assert.Contains("invalid mount config for type \"bind\": bind source path does not exist: /nope", refused.Stderr);
        Assert.Equal("yes\n", await f.Sh($"test -f {dir}/f && echo yes"));
    }

    [Fact]
    public async Task Dot_dot_or_a_symlink_in_the_source_only_reaches_the_machines_own_files()
    {
        var link = "/srv/" + f.Unique("up");
        await f.Sh($"mkdir -p /srv && ln -s /../../../../.. {link}");
        var hostHostname = File.ReadAllText("/etc/hostname").Trim();

        var viaDots = (await f.Docker("cli28", "run", "--rm", "-v", "/../../../../etc:/x", "busybox", "cat", "/x/hostname")).Succeeded();
        var viaLink = (await f.Docker("cli28", "run", "--rm", "-v", $"{link}/etc:/x", "busybox", "cat", "/x/hostname")).Succeeded();
        var intoHost = await f.Docker("cli28", "run", "--rm", "-v", $"{link}/etc:/x", "busybox", "sh", "-c", "echo pwned > /x/lab-escape-marker");

        Assert.Equal(f.Machine, viaDots.Stdout.Trim());
        Assert.Equal(f.Machine, viaLink.Stdout.Trim());
        Assert.NotEqual(hostHostname, f.Machine);
        Assert.Equal(0, intoHost.ExitCode);
        Assert.False(File.Exists("/etc/lab-escape-marker"));
        Assert.Equal("pwned\n", await f.Sh("cat /etc/lab-escape-marker"));
    }

    [Fact]
    public async Task A_symlink_in_the_target_path_stays_inside_the_container()
    {
        var volume = f.Unique("trap");
        var dir = "/srv/" + f.Unique("payload");
        var marker = f.Unique("landed");
        await f.Sh($"mkdir -p {dir} && echo payload > {dir}/f");
        (await f.Docker("cli28", "run", "--rm", "-v", $"{volume}:/mnt", "busybox", "ln", "-s", "/../../../../../../tmp", "/mnt/out")).Succeeded();

        var run = (await f.Docker("cli28", "run", "--name", marker, "-v", $"{volume}:/mnt", "-v", $"{dir}:/mnt/out/{marker}",
            "busybox", "cat", $"/tmp/{marker}/f")).Succeeded();
        var id = (await f.Docker("cli28", "inspect", "-f", "{{.Id}}", marker)).Succeeded().Stdout.Trim();

        Assert.Equal("payload\n", run.Stdout);
        Assert.False(Directory.Exists($"/tmp/{marker}"));
        Assert.Equal("absent\n", await f.Sh($"test -e /tmp/{marker} || echo absent"));
        Assert.Equal("inside\n", await f.Sh($"test -d /var/lib/lab/containers/{id}/upper/tmp/{marker} && echo inside"));
    }

    [Fact]
    public async Task An_image_VOLUME_gets_an_anonymous_volume_that_rm_v_deletes()
    {
        await f.TagBusyboxWithVolumesAsync("withvolume", "/cache");
        var id = (await f.Docker("cli28", "run", "-d", "withvolume", "sh", "-c", "echo c > /cache/f; sleep 60")).Succeeded().Stdout.Trim();

        var mounts = (await f.Docker("cli28", "inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Destination}} {{.RW}} {{.Name}}{{end}}", id)).Succeeded().Stdout.Trim().Split(' ');
        var listed = (await f.Docker("cli28", "volume", "ls", "-q")).Succeeded().Stdout.Split('\n');
        (await f.Docker("cli28", "rm", "-f", "-v", id)).Succeeded();
        var after = (await f.Docker("cli28", "volume", "ls", "-q")).Succeeded().Stdout.Split('\n');

        Assert.Equal(["volume", "/cache", "true"], mounts[..3]);
        Assert.Matches("^[0-9a-f]{64}$", mounts[3]);
        Assert.Contains(mounts[3], listed);
        Assert.DoesNotContain(mounts[3], after);
    }

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Run_rm_deletes_the_anonymous_volume_of_dash_v_path(string cli)
    {
        var before = (await f.Docker(cli, "volume", "ls", "-q")).Succeeded().Stdout;

        var run = (await f.Docker(cli, "run", "--rm", "-v", "/scratch", "busybox", "sh", "-c", "echo x > /scratch/f && cat /scratch/f")).Succeeded();
        var after = (await f.Docker(cli, "volume", "ls", "-q")).Succeeded().Stdout;

        Assert.Equal("x\n", run.Stdout);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Volumes_from_shares_the_volumes_and_ro_makes_them_read_only()
    {
        var source = f.Unique("src");
        var shared = f.Unique("shared");
        (await f.Docker("cli28", "run", "--name", source, "-v", $"{shared}:/shared", "busybox", "sh", "-c", "echo from-src > /shared/f")).Succeeded();

        var reader = (await f.Docker("cli20", "run", "--rm", "--volumes-from", source, "busybox", "cat", "/shared/f")).Succeeded();
        var writer = await f.Docker("cli28", "run", "--rm", "--volumes-from", $"{source}:ro", "busybox", "sh", "-c", "echo x > /shared/g");

        Assert.Equal("from-src\n", reader.Stdout);
        Assert.NotEqual(0, writer.ExitCode);
        Assert.Contains("Read-only file system", writer.Stderr);
    }

    [Fact]
    public async Task Tmpfs_mounts_are_memory_only_with_the_options_asked()
    {
        var run = (await f.Docker("cli28", "run", "--rm", "--tmpfs", "/run/t:size=1m",
            "--mount", "type=tmpfs,dst=/m,tmpfs-size=2097152,tmpfs-mode=0700", "busybox", "sh", "-c",
            "grep -E ' /run/t | /m ' /proc/mounts")).Succeeded();

        Assert.Contains("tmpfs /run/t tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k", run.Stdout);
        Assert.Contains("tmpfs /m tmpfs rw,nosuid,nodev,noexec,relatime,size=2048k,mode=700", run.Stdout);
    }

    [Fact]
    public async Task Inspect_shows_mounts_and_the_host_config_as_dockerd()
    {
        var name = f.Unique("shape");
        var dir = "/srv/" + f.Unique("shapedir");
        await f.Sh($"mkdir -p {dir}");
        var id = (await f.Docker("cli28", "create", "-v", $"{name}:/data", "-v", $"{dir}:/host:ro",
            "--mount", $"type=volume,src={name}2,dst=/m,readonly", "--tmpfs", "/t:size=1m", "-v", "/anon", "busybox", "true")).Succeeded().Stdout.Trim();
        var plain = (await f.Docker("cli28", "create", "busybox", "true")).Succeeded().Stdout.Trim();

        var inspect = await f.Server.GetJsonAsync($"/v1.43/containers/{id}/json");
        var mounts = inspect.GetProperty("Mounts").EnumerateArray().ToDictionary(m => m.GetProperty("Destination").GetString()!);
        var host = inspect.GetProperty("HostConfig");

        Assert.Equal(4, mounts.Count);
        Assert.Equal("", mounts["/anon"].GetProperty("Mode").GetString());
        Assert.Equal("z", mounts["/m"].GetProperty("Mode").GetString());
        Assert.True(inspect.GetProperty("Config").GetProperty("Volumes").TryGetProperty("/anon", out _));
        var plainHost = (await f.Server.GetJsonAsync($"/v1.43/containers/{plain}/json")).GetProperty("HostConfig");
        Assert.False(plainHost.TryGetProperty("Mounts", out _)); // omitempty, as dockerd
        Assert.False(plainHost.TryGetProperty("Tmpfs", out _));
        Assert.Equal(JsonValueKind.Null, plainHost.GetProperty("Binds").ValueKind);
        var data = mounts["/data"];
        Assert.Equal("volume", data.GetProperty("Type").GetString());
        Assert.Equal(name, data.GetProperty("Name").GetString());
        Assert.Equal($"/var/lib/lab/volumes/{name}/_data", data.GetProperty("Source").GetString());
        Assert.Equal("local", data.GetProperty("Driver").GetString());
        Assert.Equal("z", data.GetProperty("Mode").GetString());
        Assert.True(data.GetProperty("RW").GetBoolean());
        var bind = mounts["/host"];
        Assert.Equal("bind", bind.GetProperty("Type").GetString());
        Assert.Equal(dir, bind.GetProperty("Source").GetString());
        Assert.Equal("ro", bind.GetProperty("Mode").GetString());
        Assert.False(bind.GetProperty("RW").GetBoolean());
        Assert.Equal("rprivate", bind.GetProperty("Propagation").GetString());
        Assert.False(mounts["/m"].GetProperty("RW").GetBoolean());
        // The CLI builds Binds from a Go map: their order is the client's, not ours.
        Assert.Equal(new[] { $"{name}:/data", $"{dir}:/host:ro" }.Order(), host.GetProperty("Binds").EnumerateArray().Select(b => b.GetString()).Order());
        var mount = Assert.Single(host.GetProperty("Mounts").EnumerateArray());
        Assert.Equal($"{name}2", mount.GetProperty("Source").GetString());
        Assert.True(mount.GetProperty("ReadOnly").GetBoolean());
        Assert.Equal("size=1m", host.GetProperty("Tmpfs").GetProperty("/t").GetString());
    }

    [Fact]
    public async Task Bad_mount_specs_are_refused_with_dockerds_words()
    {
        var duplicate = await f.Docker("cli28", "create", "-v", "a1:/d", "-v", "a2:/d", "busybox");
        var relative = await f.Docker("cli20", "create", "-v", "/srv:relative", "busybox");
        var mode = await f.Docker("cli20", "create", "-v", "/srv:/x:bogus", "busybox");

        Assert.Contains("Duplicate mount point: /d", duplicate.Stderr);
        Assert.Contains("invalid mount path: 'relative' mount path must be absolute", relative.Stderr);
        Assert.Contains("invalid mode: bogus", mode.Stderr);
    }

    [Fact]
    public async Task A_volume_filler_hits_the_machines_disk_quota_not_the_hosts()
    {
        var small = await f.StartSmallDiskMachineAsync(32L << 20);
        var previous = f.Server.CallerMachine;
        f.Server.CallerMachine = small;
        try
        {
            var fill = await f.Docker("cli28", "run", "--rm", "-v", "filler:/fill", "busybox", "dd", "if=/dev/zero", "of=/fill/big", "bs=1M", "count=64");
            var size = await f.Sh("ls -l /var/lib/lab/volumes/filler/_data/big | awk '{print $5}'", small);
            var disk = new FileInfo(Directory.EnumerateFiles(Path.Combine(f.Server.Runtime.MachinesDir, small), "*.img", SearchOption.AllDirectories).Single());

            Assert.NotEqual(0, fill.ExitCode);
            Assert.Contains("No space left on device", fill.Stderr);
            Assert.InRange(long.Parse(size.Trim()), 1, 32L << 20);
            Assert.InRange(new FileInfo(disk.FullName).Length, 1, 32L << 20); // the machine's disk image did not grow
        }
        finally
        {
            f.Server.CallerMachine = previous;
            await f.Server.Machines.RemoveAsync(small);
            File.Delete(Path.Combine(f.Server.Runtime.ImagesDir, "names", small + ".json"));
        }
    }
}
