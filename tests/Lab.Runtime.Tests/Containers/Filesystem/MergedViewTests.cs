using System.Formats.Tar;
using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Containers.Filesystem;

/// <summary>A container's merged files as docker cp and docker export see them, stopped (lab-init view) or running.</summary>
public sealed class MergedViewTests(ContainerFixture f) : IClassFixture<ContainerFixture>
{
    static async Task<List<string>> NamesAsync(MemoryStream tar)
    {
        tar.Position = 0;
        var names = new List<string>();
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync() is { } entry) names.Add(entry.Name);
        return names;
    }

    [Fact]
    public async Task A_stopped_containers_paths_are_stated_with_links_resolved_inside_it()
    {
        var (_, _, record) = await f.RunAsync("sh", "-c", "ln -s / /up && ln -s ../../etc/passwd /tmp/pw && mkdir /d");

        var passwd = await f.Containers.StatPathAsync(f.Machine, record.Id, "/etc/passwd");
        var up = await f.Containers.StatPathAsync(f.Machine, record.Id, "/up");
        var pw = await f.Containers.StatPathAsync(f.Machine, record.Id, "/tmp/pw");
        var dir = await f.Containers.StatPathAsync(f.Machine, record.Id, "/up/d/");

        Assert.Equal(("passwd", ""), (passwd.Name, passwd.LinkTarget));
        Assert.False(passwd.IsDirectory);
        Assert.Equal(("up", "/"), (up.Name, up.LinkTarget));
        Assert.Equal("/etc/passwd", pw.LinkTarget);
        Assert.True(dir.IsDirectory);
        var missing = await Assert.ThrowsAsync<LabException>(() => f.Containers.StatPathAsync(f.Machine, record.Id, "/nope"));
        Assert.Equal(ErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task The_archive_of_a_path_is_named_after_its_last_component_and_the_root_after_slash()
    {
        var (_, _, record) = await f.RunAsync("sh", "-c", "mkdir -p /srv/app && echo x > /srv/app/f");
        var app = new MemoryStream();
        var root = new MemoryStream();

        await f.Containers.ReadArchiveAsync(f.Machine, record.Id, "/srv/app", _ => Task.FromResult<Stream>(app));
        await f.Containers.ReadArchiveAsync(f.Machine, record.Id, "/", _ => Task.FromResult<Stream>(root));

        Assert.Equal(["app/", "app/f"], await NamesAsync(app));
        var rootNames = await NamesAsync(root);
        Assert.Equal("/", rootNames[0]);
        Assert.Contains("/srv/app/f", rootNames);
    }

    [Fact]
    public async Task Files_copied_into_a_stopped_container_are_there_when_it_starts()
    {
        var record = await f.CreateAsync("cat", "/drop/note");
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "drop/note") { DataStream = new MemoryStream("dropped\n"u8.ToArray()) });
        tar.Position = 0;

        await f.Containers.ExtractArchiveAsync(f.Machine, record.Id, "/", tar, noOverwriteDirNonDir: false, copyUidGid: false);
        await f.Containers.StartAsync(f.Machine, record.Id);
        await f.Containers.WaitAsync(f.Machine, record.Id).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("dropped\n", await f.LogsAsync(record.Id));
        var changes = await f.Containers.ChangesAsync(f.Machine, record.Id);
        Assert.Contains(changes, c => c.Path == "/drop/note" && c.Kind == Lab.Runtime.Containers.Filesystem.ChangeKind.Added);
    }
}
