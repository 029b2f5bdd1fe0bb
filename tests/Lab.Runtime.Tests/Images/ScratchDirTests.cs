using Lab.Runtime.Images;

namespace Lab.Runtime.Tests.Images;

public sealed class ScratchDirTests : IDisposable
{
    readonly ImageTestDir _dir = new();

    static bool IsMounted(string path) =>
        File.ReadLines("/proc/self/mountinfo").Any(line => line.Split(' ')[4] == path);

    [Fact]
    public void Mounts_left_inside_are_detached_before_the_tree_is_deleted()
    {
        // Stands in for the host /dev or /proc a dying debootstrap can leave mounted in its target.
        var outside = Directory.CreateDirectory(_dir.Combine("host-dev")).FullName;
        File.WriteAllText(Path.Combine(outside, "precious"), "must survive");
        var scratch = Directory.CreateDirectory(_dir.Combine("scratch")).FullName;
        var dev = Directory.CreateDirectory(Path.Combine(scratch, "rootfs", "dev")).FullName;
        var proc = Directory.CreateDirectory(Path.Combine(scratch, "rootfs", "proc")).FullName;
        ImageTestDir.Run("mount", "--bind", outside, dev);
        ImageTestDir.Run("mount", "-t", "tmpfs", "tmpfs", proc);

        ScratchDir.Delete(scratch);

        Assert.False(Directory.Exists(scratch));
        Assert.False(IsMounted(dev));
        Assert.False(IsMounted(proc));
        Assert.Equal("must survive", File.ReadAllText(Path.Combine(outside, "precious")));
    }

    [Fact]
    public void A_missing_directory_is_already_deleted()
    {
        ScratchDir.Delete(_dir.Combine("never-created"));
    }

    public void Dispose() => _dir.Dispose();
}
