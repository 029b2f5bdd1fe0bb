using System.Formats.Tar;
using System.Net;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary><c>docker cp</c> both ways through the archive endpoint, for running and stopped containers; every path
/// stays inside the container's root.</summary>
public sealed class CopyTests : IAsyncLifetime
{
    EngineTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await EngineTestServer.StartAsync(sharedImageStore: true);
        await _server.StartMachineAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    Task<CliResult> Docker(params string[] args) => DockerCli.Cli28.RunAsync(_server, args);

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task A_file_goes_into_a_running_container_and_a_directory_comes_out(string cli)
    {
        var docker = DockerCli.Named(cli);
        var name = $"cp-{cli}";
        (await docker.RunAsync(_server, "run", "-d", "--name", name, "busybox", "sleep", "300")).Succeeded();
        var local = Path.Combine(_server.Root, $"in-{cli}.txt");
        File.WriteAllText(local, "copied in\n");

        (await docker.RunAsync(_server, "cp", local, $"{name}:/tmp/")).Succeeded();
        Assert.Equal("copied in", (await docker.RunAsync(_server, "exec", name, "cat", $"/tmp/in-{cli}.txt")).Succeeded().Stdout.Trim());

        (await docker.RunAsync(_server, "exec", name, "sh", "-c", "mkdir -p /out/sub && echo deep > /out/sub/f && ln -s sub/f /out/link")).Succeeded();
        var target = Path.Combine(_server.Root, $"out-{cli}");
        (await docker.RunAsync(_server, "cp", $"{name}:/out", target)).Succeeded();
        Assert.Equal("deep\n", File.ReadAllText(Path.Combine(target, "sub", "f")));
        Assert.Equal("sub/f", new FileInfo(Path.Combine(target, "link")).LinkTarget);
    }

    [Fact]
    public async Task Copy_works_on_a_stopped_container_both_ways()
    {
        (await Docker("create", "--name", "stopped", "busybox", "cat", "/etc/motd")).Succeeded();
        var local = Path.Combine(_server.Root, "motd");
        File.WriteAllText(local, "hello stopped\n");

        (await Docker("cp", local, "stopped:/etc/motd")).Succeeded();
        Assert.Equal("hello stopped", (await Docker("start", "-a", "stopped")).Succeeded().Stdout.Trim());

        var back = Path.Combine(_server.Root, "back");
        (await Docker("cp", "stopped:/etc/motd", back)).Succeeded();
        Assert.Equal("hello stopped\n", File.ReadAllText(back));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_symlink_to_the_root_leads_to_the_containers_root_never_the_hosts(bool running)
    {
        var name = running ? "esc-running" : "esc-stopped";
        (await Docker("run", running ? "-d" : "-i", "--name", name, "busybox", "sh", "-c",
            "ln -s / /rootlink && ln -s ../../../../../etc /etclink && echo container-only > /etc/marker" + (running ? " && sleep 300" : ""))).Succeeded();
        if (running) await Task.Delay(300);

        var copy = Path.Combine(_server.Root, $"{name}-passwd");
        (await Docker("cp", $"{name}:/rootlink/etc/marker", copy)).Succeeded();
        Assert.Equal("container-only\n", File.ReadAllText(copy));
        var viaUp = Path.Combine(_server.Root, $"{name}-up");
        (await Docker("cp", $"{name}:/etclink/marker", viaUp)).Succeeded();
        Assert.Equal("container-only\n", File.ReadAllText(viaUp));
        var shadow = await Docker("cp", $"{name}:/rootlink/etc/shadow-of-the-host", Path.Combine(_server.Root, "nothing"));
        Assert.NotEqual(0, shadow.ExitCode);

        // Copying the link itself gives the link, not what it points to.
        var link = Path.Combine(_server.Root, $"{name}-link");
        (await Docker("cp", $"{name}:/rootlink", link)).Succeeded();
        Assert.Equal("/", new FileInfo(link).LinkTarget);

        // Copying into the link writes inside the container.
        var local = Path.Combine(_server.Root, $"{name}-planted");
        File.WriteAllText(local, "planted\n");
        (await Docker("cp", local, $"{name}:/rootlink/tmp/")).Succeeded();
        Assert.False(File.Exists($"/tmp/{name}-planted"));
        var planted = Path.Combine(_server.Root, $"{name}-planted-back");
        (await Docker("cp", $"{name}:/tmp/{name}-planted", planted)).Succeeded();
        Assert.Equal("planted\n", File.ReadAllText(planted));
    }

    [Fact]
    public async Task Path_traversal_in_an_archive_path_or_entry_is_a_4xx_and_writes_nothing()
    {
        (await Docker("create", "--name", "target", "busybox", "true")).Succeeded();

        using var get = await _server.Http.GetAsync("/containers/target/archive?path=/../../../etc/passwd");
        Assert.Equal(HttpStatusCode.BadRequest, get.StatusCode);
        using var head = new HttpRequestMessage(HttpMethod.Head, "/containers/target/archive?path=/etc/../../x");
        Assert.Equal(HttpStatusCode.BadRequest, (await _server.Http.SendAsync(head)).StatusCode);

        var escape = $"lab-test-escape-{Guid.NewGuid():N}";
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"../../../../../../tmp/{escape}") { DataStream = new MemoryStream("x"u8.ToArray()) });
        tar.Position = 0;
        using var put = await _server.Http.PutAsync("/containers/target/archive?path=/tmp", new StreamContent(tar));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.False(File.Exists($"/tmp/{escape}"));
    }

    [Fact]
    public async Task Copying_a_missing_path_says_so_like_dockerd()
    {
        (await Docker("create", "--name", "empty", "busybox", "true")).Succeeded();
        var result = await Docker("cp", "empty:/no/such/file", Path.Combine(_server.Root, "x"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Could not find the file /no/such/file in container empty", result.Stderr);
    }

    [Fact]
    public async Task Docker_py_puts_and_gets_archives()
    {
        (await Docker("create", "--name", "py", "busybox", "true")).Succeeded();
        var script = """
            import docker, io, tarfile
            c = docker.DockerClient(base_url='unix://SOCKET', version='auto').containers.get('py')
            data = io.BytesIO()
            with tarfile.open(fileobj=data, mode='w') as t:
                info = tarfile.TarInfo('hello.txt'); body = b'from python\n'; info.size = len(body)
                t.addfile(info, io.BytesIO(body))
            print(c.put_archive('/tmp', data.getvalue()))
            stream, stat = c.get_archive('/tmp/hello.txt')
            raw = b''.join(stream)
            with tarfile.open(fileobj=io.BytesIO(raw)) as t:
                print(stat['name'], stat['size'], t.extractfile('hello.txt').read().decode().strip())
            """.Replace("SOCKET", _server.SocketPath);

        var result = await Python.RunAsync(script);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("True\nhello.txt 12 from python", result.Stdout.Trim());
    }

    [Fact]
    public async Task Archive_mode_gives_the_files_to_the_containers_user()
    {
        (await Docker("run", "-d", "-u", "1234:4321", "--name", "owned", "busybox", "sleep", "300")).Succeeded();
        var local = Path.Combine(_server.Root, "owned.txt");
        File.WriteAllText(local, "mine\n");

        (await Docker("cp", "-a", local, "owned:/tmp/a.txt")).Succeeded();
        (await Docker("cp", local, "owned:/tmp/plain.txt")).Succeeded();

        Assert.Equal("1234:4321", (await Docker("exec", "owned", "stat", "-c", "%u:%g", "/tmp/a.txt")).Succeeded().Stdout.Trim());
        Assert.Equal("0:0", (await Docker("exec", "owned", "stat", "-c", "%u:%g", "/tmp/plain.txt")).Succeeded().Stdout.Trim());
    }

    [Fact]
    public async Task Copying_more_than_the_machines_disk_holds_names_the_quota()
    {
        await using var small = await SmallMachine.StartAsync(_server, 32L << 20);
        (await Docker("run", "-d", "--name", "small", "busybox", "sleep", "300")).Succeeded();
        var big = Path.Combine(_server.Root, "big.bin");
        using (var file = File.Create(big))
        {
            var chunk = new byte[1 << 20];
            Random.Shared.NextBytes(chunk);
            for (int i = 0; i < 48; i++) file.Write(chunk);
        }

        var result = await Docker("cp", big, "small:/tmp/");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("disk quota (32 MiB) is full", result.Stderr);
    }
}

/// <summary>A second lab machine with a small disk, busybox in its names, that the server's caller is while it lives.</summary>
sealed class SmallMachine(EngineTestServer server, string name, string? previous) : IAsyncDisposable
{
    public static async Task<SmallMachine> StartAsync(EngineTestServer server, long diskBytes)
    {
        var previous = server.CallerMachine;
        var name = $"e-{Environment.ProcessId % 10000}-q{Guid.NewGuid().ToString("N")[..5]}";
        await server.Machines.StartAsync(name, new Lab.Runtime.Machines.MachineLimits { DiskBytes = diskBytes });
        var busybox = Lab.Runtime.Images.Oci.Reference.Parse("busybox");
        var target = new Lab.Runtime.Images.Oci.TagStore(server.Runtime.ImagesDir, previous!).Resolve(busybox)!;
        await new Lab.Runtime.Images.Oci.TagStore(server.Runtime.ImagesDir, name).TagAsync(busybox, target);
        server.CallerMachine = name;
        return new SmallMachine(server, name, previous);
    }

    public async ValueTask DisposeAsync()
    {
        server.CallerMachine = previous;
        await server.Machines.RemoveAsync(name);
        File.Delete(Path.Combine(server.Runtime.ImagesDir, "names", name + ".json"));
    }
}
