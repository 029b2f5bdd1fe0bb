using Lab.Runtime.Archives;
using Lab.Runtime.Tests.Images.Oci;

namespace Lab.Runtime.Tests.Archives;

public sealed class HostXattrsTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("lab-host-xattrs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_file_and_a_directory_give_and_take_their_content_xattrs_raw()
    {
        var file = Path.Combine(_dir, "f");
        File.WriteAllText(file, "x");
        var dir = Directory.CreateDirectory(Path.Combine(_dir, "d")).FullName;
        byte[] raw = [0x0A, 0x00, 0xFF];

        HostXattrs.Write(file, new Dictionary<string, byte[]> { ["user.k"] = raw, ["trusted.no"] = [1] });
        HostXattrs.Write(dir + "/", new Dictionary<string, byte[]> { ["user.d"] = raw });

        Assert.Equal(raw, Assert.Single(HostXattrs.Read(file)).Value);
        Assert.Null(Inode.Xattr(file, "trusted.no"));
        Assert.Equal(raw, HostXattrs.Read(dir)["user.d"]);
    }

    [Fact]
    public void A_symlink_carries_none_and_is_not_followed()
    {
        var file = Path.Combine(_dir, "f");
        File.WriteAllText(file, "x");
        Inode.SetXattr(file, "user.k", [1]);
        var link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, file);

        Assert.Empty(HostXattrs.Read(link));
    }
}
