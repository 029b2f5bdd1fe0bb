using System.Text.Json;
using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Tests.Images.Oci;

public sealed class DigestTests
{
    const string Hex = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"; // sha256("hello")

    [Fact]
    public void A_digest_is_the_sha256_of_the_bytes_in_lowercase_hex()
    {
        var digest = Digest.Of("hello"u8);

        Assert.Equal(Hex, digest.Hex);
        Assert.Equal("sha256:" + Hex, digest.ToString());
        Assert.Equal(digest, Digest.Parse("sha256:" + Hex));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha256:")]
    [InlineData("sha256:../../etc/passwd")]
    [InlineData("SHA256:" + Hex)]
    [InlineData("sha256:2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824")]
    [InlineData("sha256:" + Hex + "00")]
    [InlineData(Hex)]
    public void Malformed_digests_are_invalid_parameters(string text)
    {
        var error = Assert.Throws<LabException>(() => Digest.Parse(text));

        Assert.Equal(ErrorKind.InvalidParameter, error.Kind);
        Assert.Contains("invalid digest", error.Message);
    }

    [Fact]
    public void Other_algorithms_are_refused_by_name()
    {
        var error = Assert.Throws<LabException>(() => Digest.Parse("sha512:" + Hex + Hex));

        Assert.Contains("only sha256 is supported", error.Message);
    }

    [Fact]
    public void Digests_are_json_strings()
    {
        var json = JsonSerializer.Serialize(new[] { Digest.Of("hello"u8) });

        Assert.Equal($"[\"sha256:{Hex}\"]", json);
        Assert.Equal(Digest.Of("hello"u8), JsonSerializer.Deserialize<Digest[]>(json)![0]);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Digest[]>("[\"md5:abc\"]"));
    }
}
