using System.Text;
using Lab.Engine.Tests.Support;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Machines;
using Lab.Testing;

namespace Lab.Engine.Tests.Api;

/// <summary>`docker volume create/ls/inspect/rm/prune` through the real CLIs against a real lab machine.</summary>
public sealed class VolumeCommandTests(VolumeMachineFixture f) : IClassFixture<VolumeMachineFixture>
{
    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Create_inspect_and_ls_show_the_volume_with_its_labels(string cli)
    {
        var name = f.Unique("labelled");
        Assert.Equal(name, (await f.Docker(cli, "volume", "create", "--label", "course=docker", name)).Succeeded().Stdout.Trim());

        var inspect = (await f.Docker(cli, "volume", "inspect", "-f", "{{.Driver}} {{.Mountpoint}} {{.Labels.course}} {{.Scope}}", name)).Succeeded();
        var byLabel = (await f.Docker(cli, "volume", "ls", "-q", "--filter", "label=course=docker")).Succeeded();
        var byName = (await f.Docker(cli, "volume", "ls", "-q", "--filter", $"name={name}")).Succeeded();
        var inMachine = await f.Sh($"test -d /var/lib/lab/volumes/{name}/_data && echo there");

        Assert.Equal($"local /var/lib/lab/volumes/{name}/_data docker local", inspect.Stdout.Trim());
        Assert.Contains(name, byLabel.Stdout.Split('\n'));
        Assert.Equal(name, byName.Stdout.Trim());
        Assert.Equal("there\n", inMachine);
    }

    [Fact]
    public async Task Dangling_filter_tells_used_volumes_from_unused_ones()
    {
        var used = f.Unique("used");
        var unused = f.Unique("unused");
        (await f.Docker("cli28", "volume", "create", unused)).Succeeded();
        (await f.Docker("cli28", "create", "-v", $"{used}:/data", "busybox", "true")).Succeeded();

        var dangling = (await f.Docker("cli28", "volume", "ls", "-q", "--filter", "dangling=true")).Succeeded().Stdout.Split('\n');
        var notDangling = (await f.Docker("cli28", "volume", "ls", "-q", "--filter", "dangling=false")).Succeeded().Stdout.Split('\n');

        Assert.Contains(unused, dangling);
        Assert.DoesNotContain(used, dangling);
        Assert.Contains(used, notDangling);
    }

    [Fact]
    public async Task A_volume_in_use_cannot_be_removed_even_with_force()
    {
        var name = f.Unique("busy");
        var id = (await f.Docker("cli28", "create", "-v", $"{name}:/data", "busybox", "true")).Succeeded().Stdout.Trim();

        var refused = await f.Docker("cli28", "volume", "rm", name);
        var forced = await f.Docker("cli28", "volume", "rm", "-f", name);
        (await f.Docker("cli28", "rm", id)).Succeeded();
        var removed = await f.Docker("cli28", "volume", "rm", name);
        var missing = await f.Docker("cli28", "volume", "inspect", name);

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"remove {name}: volume is in use - [{id}]", refused.Stderr);
        Assert.NotEqual(0, forced.ExitCode);
        Assert.Equal(name, removed.Succeeded().Stdout.Trim());
        Assert.Contains($"no such volume", missing.Stderr);
        Assert.Equal("gone\n", await f.Sh($"test -e /var/lib/lab/volumes/{name} || echo gone"));
    }

    [Fact]
    public async Task Prune_takes_anonymous_volumes_only_unless_all_and_old_clients_take_every_unused_one()
    {
        var named = f.Unique("keep");
        (await f.Docker("cli28", "volume", "create", named)).Succeeded();
        var anonymousHolder = (await f.Docker("cli28", "create", "-v", "/anon", "busybox", "true")).Succeeded().Stdout.Trim();
        var anonymous = (await f.Docker("cli28", "inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", anonymousHolder)).Succeeded().Stdout.Trim();
        (await f.Docker("cli28", "rm", anonymousHolder)).Succeeded(); // without -v: the volume stays, unused

        var pruned = (await f.Docker("cli28", "volume", "prune", "-f")).Succeeded();
        var afterDefault = (await f.Docker("cli28", "volume", "ls", "-q")).Succeeded().Stdout.Split('\n');
        var prunedByOld = (await f.Docker("cli20", "volume", "prune", "-f")).Succeeded();
        var afterOld = (await f.Docker("cli28", "volume", "ls", "-q")).Succeeded().Stdout.Split('\n');

        Assert.Matches("^[0-9a-f]{64}$", anonymous);
        Assert.Contains(anonymous, pruned.Stdout);
        Assert.DoesNotContain(anonymous, afterDefault);
        Assert.Contains(named, afterDefault);
        Assert.Contains(named, prunedByOld.Stdout);
        Assert.DoesNotContain(named, afterOld);
    }

    [Fact]
    public async Task Prune_all_respects_the_label_filter()
    {
        var tagged = f.Unique("tagged");
        var other = f.Unique("other");
        (await f.Docker("cli28", "volume", "create", "--label", "lesson=3", tagged)).Succeeded();
        (await f.Docker("cli28", "volume", "create", other)).Succeeded();
        await f.Sh($"dd if=/dev/zero of=/var/lib/lab/volumes/{tagged}/_data/blob bs=1024 count=100 2>/dev/null");

        var pruned = (await f.Docker("cli28", "volume", "prune", "-a", "-f", "--filter", "label=lesson=3")).Succeeded();
        var left = (await f.Docker("cli28", "volume", "ls", "-q")).Succeeded().Stdout.Split('\n');

        Assert.Contains(tagged, pruned.Stdout);
        Assert.Contains("Total reclaimed space: 102.4kB", pruned.Stdout);
        Assert.DoesNotContain(tagged, left);
        Assert.Contains(other, left);
    }

    [Fact]
    public async Task Bad_names_and_drivers_and_options_get_dockerds_errors()
    {
        var shortName = await f.Docker("cli28", "volume", "create", "x");
        var badChars = await f.Docker("cli28", "volume", "create", "no/slash");
        var driver = await f.Docker("cli28", "volume", "create", "--driver", "nfs-plugin", f.Unique("d"));
        var option = await f.Docker("cli28", "volume", "create", "-o", "color=blue", f.Unique("o"));

        Assert.Contains("volume name is too short, names should be at least two alphanumeric characters", shortName.Stderr);
        Assert.Contains("\"no/slash\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed", badChars.Stderr);
        Assert.Contains("plugin \"nfs-plugin\" not found", driver.Stderr);
        Assert.Contains("invalid option: \"color\"", option.Stderr);
    }

    [Fact]
    public async Task Docker_py_creates_lists_mounts_and_removes_volumes_like_a_tutorial()
    {
        var name = f.Unique("pyvol");
        var script = """
            import docker
            c = docker.DockerClient(base_url='unix://SOCKET', version='auto')
            v = c.volumes.create(name='NAME', labels={'owner': 'py'})
            print(v.name, v.attrs['Driver'], v.attrs['Labels']['owner'])
            c.containers.run('busybox', ['sh', '-c', 'echo py-data > /d/f'], volumes={'NAME': {'bind': '/d', 'mode': 'rw'}}, remove=True)
            print(c.containers.run('busybox', ['cat', '/d/f'], volumes=['NAME:/d:ro'], remove=True).decode().strip())
            print([x.name for x in c.volumes.list(filters={'label': 'owner=py'})])
            v.remove()
            print(len(c.volumes.list(filters={'name': 'NAME'})))
            """.Replace("SOCKET", f.Server.SocketPath).Replace("NAME", name);

        var result = await Python.RunAsync(script);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal($"{name} local py\npy-data\n['{name}']\n0", result.Stdout.Trim());
    }

    [Fact]
    public async Task A_bind_volume_of_a_machine_directory_shows_its_files()
    {
        var dir = "/srv/" + f.Unique("bound");
        var name = f.Unique("bindvol");
        await f.Sh($"mkdir -p {dir} && echo machine-file > {dir}/note");
        (await f.Docker("cli28", "volume", "create", "-o", "type=none", "-o", "o=bind", "-o", $"device={dir}", name)).Succeeded();

        var run = (await f.Docker("cli28", "run", "--rm", "-v", $"{name}:/v", "busybox", "sh", "-c", "cat /v/note; echo back > /v/reply")).Succeeded();

        Assert.Equal("machine-file\n", run.Stdout);
        Assert.Equal("back\n", await f.Sh($"cat {dir}/reply"));
    }
}

/// <summary>One Engine server and one busybox lab machine for a test class; names made unique per test.</summary>
public sealed class VolumeMachineFixture : IAsyncLifetime
{
    int _counter;

    public EngineTestServer Server { get; private set; } = null!;
    public string Machine { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await EngineTestServer.StartAsync(sharedImageStore: true);
        Machine = await Server.StartMachineAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}";

    public Task<CliResult> Docker(string cli, params string[] args) => DockerCli.Named(cli).RunAsync(Server, args);

    /// <summary>A shell command in the lab machine itself (the student's terminal); its stdout.</summary>
    public async Task<string> Sh(string script, string? machine = null)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        await Server.Machines.ExecAsync(machine ?? Machine, ["/bin/sh", "-c", script], stdout, stderr);
        return Encoding.UTF8.GetString(stdout.ToArray());
    }

    /// <summary>busybox with a Dockerfile's `VOLUME` lines, tagged in the machine.</summary>
    public async Task TagBusyboxWithVolumesAsync(string tag, params string[] volumes)
    {
        var manifest = await RecipeImageConverter.ToOciImageAsync(TestImages.Recipe("busybox"), new ContainerConfig
        {
            Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            Cmd = ["sh"],
            Volumes = volumes.ToDictionary(v => v, _ => new EmptyObject()),
        }, new FileContentStore(Server.Runtime.ImagesDir));
        await new TagStore(Server.Runtime.ImagesDir, Machine).TagAsync(Reference.Parse(tag), manifest);
    }

    /// <summary>Another machine, with a small disk, that the CLI then talks to (removed by the caller).</summary>
    public async Task<string> StartSmallDiskMachineAsync(long diskBytes)
    {
        var name = $"e-{Environment.ProcessId % 10000}-{Guid.NewGuid().ToString("N")[..6]}";
        await Server.Machines.StartAsync(name, new MachineLimits { DiskBytes = diskBytes });
        var manifest = await RecipeImageConverter.ToOciImageAsync(TestImages.Recipe("busybox"), new ContainerConfig
        {
            Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
            Cmd = ["sh"],
        }, new FileContentStore(Server.Runtime.ImagesDir));
        await new TagStore(Server.Runtime.ImagesDir, name).TagAsync(Reference.Parse("busybox"), manifest);
        return name;
    }
}
