using Lab.Runtime.Native;

namespace Lab.Runtime.Tests.Native;

/// <summary>Extended attributes through a descriptor and by path, checked with the test's own l*xattr calls.</summary>
public class XattrsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory($"lab-test-{Environment.ProcessId}-xattrs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Values_set_through_a_descriptor_are_listed_and_read_back_byte_for_byte()
    {
        var file = Path.Combine(_dir, "f");
        File.WriteAllText(file, "");
        byte[] value = [0x00, 0xFF, 0x0A];
        using var root = ResolveInRoot.OpenRoot(_dir);
        using var fd = FsCalls.OpenAt(root, "f", OpenFlags.O_RDONLY)!;

        Xattrs.Set(fd, "user.lab", value, file);

        Assert.Equal(value, Lab.Runtime.Tests.Images.Oci.Inode.Xattr(file, "user.lab"));
        Assert.Equal(value, Xattrs.Get(fd, "user.lab"));
        Assert.Equal(value, Xattrs.All(fd)["user.lab"]);
        Assert.Null(Xattrs.Get(fd, "user.none"));
    }

    [Fact]
    public void A_path_without_the_attribute_reads_as_null_and_one_with_it_as_its_length()
    {
        var dir = Path.Combine(_dir, "d");
        Directory.CreateDirectory(dir);
        Span<byte> buffer = stackalloc byte[8];

        Assert.Null(Xattrs.GetNoFollow(dir, "user.opaque", buffer));
        Xattrs.SetNoFollow(dir, "user.opaque", "y"u8);
        Assert.Equal(1, Xattrs.GetNoFollow(dir, "user.opaque", buffer));
        Assert.Equal((byte)'y', buffer[0]);
    }

    [Fact]
    public void A_value_longer_than_the_buffer_is_an_ERANGE_naming_the_path()
    {
        var file = Path.Combine(_dir, "f");
        File.WriteAllText(file, "");
        Xattrs.SetNoFollow(file, "user.long", new byte[32]);

        var e = Assert.Throws<LinuxException>(() => Xattrs.GetNoFollow(file, "user.long", new byte[8]));

        Assert.Equal(34, e.Errno); // ERANGE
        Assert.Contains($"lgetxattr '{file}'", e.Message);
    }
}
