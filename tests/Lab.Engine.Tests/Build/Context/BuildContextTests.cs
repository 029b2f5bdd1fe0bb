using System.Formats.Tar;
using System.IO.Compression;
using Lab.Engine.Build.Context;
using Lab.Runtime;

namespace Lab.Engine.Tests.Build.Context;

public sealed class BuildContextTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory(StaleTestState.OwnPrefix + "ctx-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static MemoryStream Tar(params (string Name, TarEntryType Type, string Content)[] entries)
    {
        var buffer = new MemoryStream();
        using (var tar = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var (name, type, content) in entries)
            {
                var entry = new PaxTarEntry(type, name) { Mode = (UnixFileMode)0x1A4 };
                if (type == TarEntryType.SymbolicLink) entry.LinkName = content;
                else if (type == TarEntryType.RegularFile) entry.DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content));
                tar.WriteEntry(entry);
            }
        buffer.Position = 0;
        return buffer;
    }

    [Fact]
    public async Task A_gzip_context_is_unpacked_with_its_files()
    {
        var gz = new MemoryStream();
        using (var zip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
            Tar(("app/main.py", TarEntryType.RegularFile, "print(1)")).CopyTo(zip);
        gz.Position = 0;
        using var context = await BuildContext.ReceiveAsync(gz, Path.Combine(_dir, "w"), 1 << 20, default);
        Assert.Equal("print(1)", File.ReadAllText(Path.Combine(context.Root, "app/main.py")));
    }

    [Fact]
    public async Task A_path_climbing_out_of_the_context_is_refused()
    {
        var e = await Assert.ThrowsAsync<LabException>(() =>
            BuildContext.ReceiveAsync(Tar(("../evil", TarEntryType.RegularFile, "x")), Path.Combine(_dir, "w"), 1 << 20, default));
        Assert.Contains("outside the context", e.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "evil")));
    }

    [Fact]
    public async Task Writing_through_a_symlink_of_the_context_is_refused()
    {
        var e = await Assert.ThrowsAsync<LabException>(() => BuildContext.ReceiveAsync(
            Tar(("link", TarEntryType.SymbolicLink, "/tmp"), ("link/owned", TarEntryType.RegularFile, "x")),
            Path.Combine(_dir, "w"), 1 << 20, default));
        Assert.Contains("symlink", e.Message);
    }

    [Fact]
    public async Task A_context_larger_than_the_machine_disk_is_refused()
    {
        var e = await Assert.ThrowsAsync<LabException>(() => BuildContext.ReceiveAsync(
            Tar(("big", TarEntryType.RegularFile, new string('x', 4096))), Path.Combine(_dir, "w"), 2048, default));
        Assert.Contains("larger than this machine's disk", e.Message);
    }

    [Fact]
    public async Task Garbage_is_not_a_tar()
    {
        var e = await Assert.ThrowsAsync<LabException>(() => BuildContext.ReceiveAsync(
            new MemoryStream(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9 }), Path.Combine(_dir, "w"), 1 << 20, default));
        Assert.Contains("tar", e.Message);
    }

    [Fact]
    public async Task Ignore_file_removes_what_it_leaves_out()
    {
        using var context = await BuildContext.ReceiveAsync(Tar(
            (".dockerignore", TarEntryType.RegularFile, "*.log\n!keep.log\n"),
            ("debug.log", TarEntryType.RegularFile, "x"), ("keep.log", TarEntryType.RegularFile, "k"),
            ("a.txt", TarEntryType.RegularFile, "a")), Path.Combine(_dir, "w"), 1 << 20, default);
        context.ApplyIgnoreFile();
        Assert.False(File.Exists(Path.Combine(context.Root, "debug.log")));
        Assert.True(File.Exists(Path.Combine(context.Root, "keep.log")));
        Assert.True(File.Exists(Path.Combine(context.Root, "a.txt")));
    }
}
