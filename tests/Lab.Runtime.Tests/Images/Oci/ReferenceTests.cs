using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Tests.Images.Oci;

public sealed class ReferenceTests
{
    const string Hex = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    [Theory]
    [InlineData("nginx", "docker.io", "library/nginx", null, "nginx")]
    [InlineData("nginx:1.25-alpine", "docker.io", "library/nginx", "1.25-alpine", "nginx:1.25-alpine")]
    [InlineData("user/repo:tag", "docker.io", "user/repo", "tag", "user/repo:tag")]
    [InlineData("docker.io/nginx", "docker.io", "library/nginx", null, "nginx")]
    [InlineData("index.docker.io/library/nginx:latest", "docker.io", "library/nginx", "latest", "nginx:latest")]
    [InlineData("docker.io/library/team/app", "docker.io", "library/team/app", null, "library/team/app")]
    [InlineData("localhost/foo", "localhost", "foo", null, "localhost/foo")]
    [InlineData("localhost:5000/foo/bar:v1", "localhost:5000", "foo/bar", "v1", "localhost:5000/foo/bar:v1")]
    [InlineData("registry.lab.local/classe/app", "registry.lab.local", "classe/app", null, "registry.lab.local/classe/app")]
    [InlineData("[::1]:5000/repo", "[::1]:5000", "repo", null, "[::1]:5000/repo")]
    [InlineData("Registry/repo", "Registry", "repo", null, "Registry/repo")]
    [InlineData("a__b/c--d/e.f_g", "docker.io", "a__b/c--d/e.f_g", null, "a__b/c--d/e.f_g")]
    public void References_are_normalised_as_docker_does(string text, string domain, string path, string? tag, string familiar)
    {
        var reference = Reference.Parse(text);

        Assert.Equal((domain, path, tag), (reference.Domain, reference.Path, reference.Tag));
        Assert.Null(reference.Digest);
        Assert.Equal(familiar, reference.FamiliarString);
    }

    [Fact]
    public void A_registry_with_port_and_a_digest_keeps_both()
    {
        var reference = Reference.Parse($"host:5000/repo@sha256:{Hex}");

        Assert.Equal(("host:5000", "repo", null), (reference.Domain, reference.Path, reference.Tag));
        Assert.Equal(Digest.Parse("sha256:" + Hex), reference.Digest);
        Assert.Equal($"host:5000/repo@sha256:{Hex}", reference.ToString());
    }

    [Fact]
    public void A_tag_and_a_digest_can_be_given_together()
    {
        var reference = Reference.Parse($"nginx:1.25@sha256:{Hex}");

        Assert.Equal($"docker.io/library/nginx:1.25@sha256:{Hex}", reference.ToString());
        Assert.Equal($"nginx:1.25@sha256:{Hex}", reference.FamiliarString);
    }

    [Fact]
    public void No_tag_means_latest_only_when_asked_and_only_without_a_digest()
    {
        Assert.Equal("docker.io/library/busybox", Reference.Parse("busybox").ToString());
        Assert.Equal("docker.io/library/busybox:latest", Reference.Parse("busybox").WithDefaultTag().ToString());
        Assert.Equal("docker.io/library/busybox:1", Reference.Parse("busybox:1").WithDefaultTag().ToString());
        Assert.Null(Reference.Parse($"busybox@sha256:{Hex}").WithDefaultTag().Tag);
    }

    [Fact]
    public void Retagging_keeps_the_repository()
    {
        var tagged = Reference.Parse("debian:bookworm").WithTag("12");

        Assert.Equal("debian:12", tagged.FamiliarString);
        Assert.Equal("debian", tagged.Repository.FamiliarString);
        Assert.Throws<LabException>(() => tagged.WithTag("bad tag"));
    }

    [Theory]
    [InlineData("Nginx", "invalid reference format: repository name (library/Nginx) must be lowercase")]
    [InlineData("library/Nginx:latest", "invalid reference format: repository name (library/Nginx) must be lowercase")]
    [InlineData(Hex, $"invalid repository name ({Hex}), cannot specify 64-byte hexadecimal strings")]
    [InlineData("", "invalid reference format")]
    [InlineData("nginx:", "invalid reference format")]
    [InlineData(":latest", "invalid reference format")]
    [InlineData("nginx:-tag", "invalid reference format")]
    [InlineData("a/../b", "invalid reference format")]
    [InlineData("a___b", "invalid reference format")]
    [InlineData("-nginx", "invalid reference format")]
    [InlineData("nginx\n", "invalid reference format")]
    [InlineData("nginx@sha256:abc", "invalid reference format")]
    [InlineData("nginx@md5:0123456789abcdef0123456789abcdef", "unsupported digest algorithm in 'md5:0123456789abcdef0123456789abcdef': only sha256 is supported")]
    public void Malformed_references_fail_with_dockers_messages(string text, string message)
    {
        var error = Assert.Throws<LabException>(() => Reference.Parse(text));

        Assert.Equal(ErrorKind.InvalidParameter, error.Kind);
        Assert.Equal(message, error.Message);
        Assert.False(Reference.TryParse(text, out _));
    }

    [Fact]
    public void Tags_are_at_most_128_characters_and_names_at_most_255()
    {
        Assert.Equal(128, Reference.Parse("nginx:" + new string('t', 128)).Tag!.Length);
        Assert.Throws<LabException>(() => Reference.Parse("nginx:" + new string('t', 129)));

        // The limit counts the registry too: docker.io/ + 245 characters is exactly 255.
        var longName = string.Join('/', new[] { 48, 48, 48, 48, 49 }.Select(n => new string('n', n)));
        Assert.Equal(255, Reference.Parse("docker.io/" + longName).Name.Length);
        var error = Assert.Throws<LabException>(() => Reference.Parse("registry.example.org/" + longName));
        Assert.Equal("repository name must not be more than 255 characters", error.Message);
    }
}
