using Lab.Runtime.Native;

namespace Lab.Runtime.Tests.Native;

/// <summary>fstat and lstat through the one Inode shape, against files made with the BCL and stat(1).</summary>
public class InodeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory($"lab-test-{Environment.ProcessId}-inode-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_path_describes_a_symlink_itself_and_a_descriptor_the_file_it_holds()
    {
        var file = Path.Combine(_dir, "f");
        File.WriteAllText(file, "hello");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.CreateSymbolicLink(Path.Combine(_dir, "link"), "f");

        var link = Inode.OfPath(Path.Combine(_dir, "link"));
        using var root = ResolveInRoot.OpenRoot(_dir);
        using var fd = FsCalls.OpenAt(root, "f")!;
        var st = Inode.Of(fd, "f");

        Assert.True(link.IsSymlink);
        Assert.True(st.IsRegular);
        Assert.Equal(5, st.Size);
        Assert.Equal(0b101_000_000u, st.Permissions);
        Assert.True(st.IsUserExecutable);
        Assert.Equal(long.Parse(Stat("%i", file)), (long)st.Ino);
        Assert.Equal(Inode.OfPath(file), st);
    }

    [Fact]
    public void A_missing_path_is_an_ENOENT_naming_lstat_and_the_path()
    {
        var missing = Path.Combine(_dir, "nothing");

        var e = Assert.Throws<LinuxException>(() => Inode.OfPath(missing));

        Assert.Equal(2, e.Errno); // ENOENT
        Assert.StartsWith($"lstat '{missing}'", e.Message);
    }

    private static string Stat(string format, string path) =>
        Lab.Runtime.Tests.Images.Oci.Inode.Run("stat", "-c", format, path).Trim();
}
