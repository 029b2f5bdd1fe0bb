using System.Formats.Tar;
using System.Text;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary><c>docker export</c> and <c>docker import</c>: a container's files round trip into a new image.</summary>
public sealed class ExportImportTests : IAsyncLifetime
{
    EngineTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await EngineTestServer.StartAsync(sharedImageStore: true);
        await _server.StartMachineAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    Task<CliResult> Docker(params string[] args) => DockerCli.Cli28.RunAsync(_server, args);

    [Fact]
    public async Task Import_of_a_GNU_tar_keeps_a_file_capability_byte_for_byte()
    {
        var tree = Directory.CreateDirectory(Path.Combine(_server.Root, "captree")).FullName;
        var tool = Path.Combine(tree, "tool");
        File.WriteAllText(tool, "ELF\n");
        TestXattrs.Run("setcap", "cap_dac_override,cap_fowner,cap_net_raw+ep", tool); // 0x200A: a newline byte
        var capability = TestXattrs.Get(tool, "security.capability")!;
        var archive = Path.Combine(_server.Root, "captree.tar");
        TestXattrs.Run("tar", "--xattrs", "--xattrs-include=*", "--format=posix", "-cf", archive, "-C", tree, "tool");

        (await Docker("import", archive, "capimported")).Succeeded();
        (await Docker("create", "--name", "capimp", "capimported", "/tool")).Succeeded();
        var back = Directory.CreateDirectory(Path.Combine(_server.Root, "capimp-back")).FullName;
        (await Docker("cp", "capimp:/tool", back)).Succeeded();

        Assert.Equal(capability, TestXattrs.Get(Path.Combine(back, "tool"), "security.capability"));
    }

    [Theory]
    [MemberData(nameof(DockerCli.Both), MemberType = typeof(DockerCli))]
    public async Task Export_then_import_gives_an_image_with_the_containers_files(string cli)
    {
        var docker = DockerCli.Named(cli);
        (await docker.RunAsync(_server, "run", "--name", $"e-{cli}", "busybox", "sh", "-c", "echo exported > /hello && rm /etc/group")).Succeeded();
        var archive = Path.Combine(_server.Root, $"e-{cli}.tar");

        (await docker.RunAsync(_server, "export", "-o", archive, $"e-{cli}")).Succeeded();
        var names = EntryNames(archive);
        Assert.Contains("hello", names);
        Assert.Contains("bin/busybox", names);
        Assert.Contains("proc/", names);
        Assert.DoesNotContain("etc/group", names);
        Assert.DoesNotContain(names, n => n.StartsWith("proc/", StringComparison.Ordinal) && n != "proc/");

        var id = (await docker.RunAsync(_server, "import", "-m", "round trip", "-c", "CMD [\"cat\", \"/hello\"]", archive, $"imported-{cli}:v1")).Succeeded();
        Assert.StartsWith("sha256:", id.Stdout.Trim());
        Assert.Equal("exported", (await docker.RunAsync(_server, "run", "--rm", $"imported-{cli}:v1")).Succeeded().Stdout.Trim());
        var history = (await docker.RunAsync(_server, "history", "--format", "{{.Comment}}", $"imported-{cli}:v1")).Succeeded();
        Assert.Equal("round trip", history.Stdout.Trim());
    }

    [Fact]
    public async Task A_running_container_is_exported_without_its_proc()
    {
        (await Docker("run", "-d", "--name", "running", "busybox", "sleep", "300")).Succeeded();
        var archive = Path.Combine(_server.Root, "running.tar");

        (await Docker("export", "-o", archive, "running")).Succeeded();

        var names = EntryNames(archive);
        Assert.Contains("bin/sh", names);
        Assert.DoesNotContain(names, n => n.StartsWith("proc/", StringComparison.Ordinal) && n != "proc/");
        Assert.DoesNotContain(names, n => n.StartsWith("sys/", StringComparison.Ordinal) && n != "sys/");
    }

    [Fact]
    public async Task Import_from_stdin_of_a_gzip_tar_works()
    {
        var tar = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(tar, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "only.txt") { DataStream = new MemoryStream("x"u8.ToArray()) });
        tar.Position = 0;

        var result = (await DockerCli.Cli28.RunAsync(_server, tar, "import", "-", "tiny")).Succeeded();

        Assert.StartsWith("sha256:", result.Stdout.Trim());
        Assert.Equal("1", (await Docker("image", "inspect", "-f", "{{len .RootFS.Layers}}", "tiny")).Succeeded().Stdout.Trim());
    }

    [Fact]
    public async Task Import_of_something_that_is_not_a_tar_is_a_clear_error()
    {
        using var garbage = new MemoryStream(Encoding.UTF8.GetBytes(new string('x', 2000)));
        var result = await DockerCli.Cli28.RunAsync(_server, garbage, "import", "-", "garbage");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("not a readable tar", result.Stderr);
    }

    [Fact]
    public async Task An_import_larger_than_the_machines_disk_is_refused_naming_the_quota()
    {
        await using var small = await SmallMachine.StartAsync(_server, 16L << 20);
        var big = Path.Combine(_server.Root, "big.tar");
        File.WriteAllBytes(big, new byte[20 << 20]);

        var result = await Docker("import", big, "too-big");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("larger than the lab machine's disk quota (16 MiB)", result.Stderr);
    }

    static List<string> EntryNames(string archive)
    {
        using var reader = new TarReader(File.OpenRead(archive));
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry) names.Add(entry.Name);
        return names;
    }
}
