using Lab.Runtime.Containers.Filesystem;

namespace Lab.Runtime.Tests.Containers.Filesystem;

public sealed class ContainerPathTests
{
    [Theory]
    [InlineData("etc/passwd", "/etc/passwd", "/etc", "passwd", "passwd")]
    [InlineData("/etc/passwd", "/etc/passwd", "/etc", "passwd", "passwd")]
    [InlineData("/tmp/", "/tmp/", "/tmp", "", "tmp")]
    [InlineData("/tmp/.", "/tmp/.", "/tmp", ".", ".")]
    [InlineData("//a/./b", "/a/b", "/a", "b", "b")]
    [InlineData("/", "/", "/", "", "/")]
    [InlineData("/link", "/link", "/", "link", "link")]
    public void Paths_split_like_dockers_resolve_path(string given, string absolute, string dir, string @base, string name)
    {
        var path = ContainerPath.Parse(given);

        Assert.Equal((absolute, dir, @base, name), (path.Absolute, path.Dir, path.Base, path.Name));
    }

    [Theory]
    [InlineData("/../../etc/passwd")]
    [InlineData("/etc/../../x")]
    [InlineData("..")]
    [InlineData("/a\0b")]
    [InlineData("")]
    public void A_path_that_climbs_or_is_malformed_is_refused(string given)
    {
        var e = Assert.Throws<LabException>(() => ContainerPath.Parse(given));
        Assert.Equal(ErrorKind.InvalidParameter, e.Kind);
    }
}
