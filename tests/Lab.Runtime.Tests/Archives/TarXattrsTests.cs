using Lab.Runtime.Archives;

namespace Lab.Runtime.Tests.Archives;

public sealed class TarXattrsTests
{
    [Theory]
    [InlineData("user.origin", true)]
    [InlineData("security.capability", true)]
    [InlineData("user.overlay.opaque", false)]
    [InlineData("trusted.overlay.opaque", false)]
    [InlineData("trusted.other", false)]
    [InlineData("security.selinux", false)]
    [InlineData("system.posix_acl_access", false)]
    public void Only_the_image_authors_attributes_and_file_capabilities_are_content(string name, bool content)
    {
        Assert.Equal(content, TarXattrs.IsContent(name));
        Assert.Equal(content, TarXattrs.ToRecords(new Dictionary<string, byte[]> { [name] = [1] }).Any());
        Assert.Equal(content, TarXattrs.FromRecords([new("SCHILY.xattr." + name, [1])]).Count == 1);
    }

    [Fact]
    public void A_revision_3_capability_is_written_as_revision_2_without_its_root_uid()
    {
        // cap_net_raw+ep, VFS_CAP_REVISION_3 with rootid 100000, as setcap writes it in a user namespace.
        byte[] v3 = [1, 0, 0, 3, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xA0, 0x86, 0x01, 0];

        var record = Assert.Single(TarXattrs.ToRecords(new Dictionary<string, byte[]> { ["security.capability"] = v3 }));

        Assert.Equal("SCHILY.xattr.security.capability", record.Key);
        Assert.Equal([1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], record.Value);
    }

    [Fact]
    public void A_revision_2_capability_is_written_as_it_is()
    {
        byte[] v2 = [1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

        Assert.Equal(v2, Assert.Single(TarXattrs.ToRecords(new Dictionary<string, byte[]> { ["security.capability"] = v2 })).Value);
    }
}
