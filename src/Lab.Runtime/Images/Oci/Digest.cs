using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Lab.Runtime.Images.Oci;

/// <summary>A content digest, <c>sha256:&lt;64 lowercase hex&gt;</c>. The OCI grammar allows other algorithms;
/// the store names files after the hex, so only the one it can verify is accepted, and a malformed string never
/// becomes a path.</summary>
[JsonConverter(typeof(DigestJsonConverter))]
public readonly partial record struct Digest
{
    public const string Algorithm = "sha256";

    Digest(string hex) => Hex = hex;

    /// <summary>The 64 lowercase hex characters after <c>sha256:</c>.</summary>
    public string Hex { get; }

    public static Digest Parse(string? value) =>
        TryParse(value, out var digest)
            ? digest
            : throw new LabException(ErrorKind.InvalidParameter,
                value is not null && OtherAlgorithm().IsMatch(value) && !value.StartsWith(Algorithm + ":", StringComparison.OrdinalIgnoreCase)
                    ? $"unsupported digest algorithm in '{value}': only sha256 is supported"
                    : $"invalid digest '{value}': expected sha256:<64 lowercase hex characters>");

    public static bool TryParse(string? value, out Digest digest)
    {
        digest = default;
        if (value is null || Sha256().Match(value) is not { Success: true } m) return false;
        digest = new Digest(m.Groups[1].Value);
        return true;
    }

    /// <summary>Digest of the hex part alone, as <c>docker images --digests</c> and image ids print it.</summary>
    public static Digest FromHex(string hex) => Parse($"{Algorithm}:{hex}");

    public static Digest Of(ReadOnlySpan<byte> content) => new(Convert.ToHexStringLower(SHA256.HashData(content)));

    internal static Digest FromHash(byte[] sha256) => new(Convert.ToHexStringLower(sha256));

    public override string ToString() => $"{Algorithm}:{Hex}";

    [GeneratedRegex("^sha256:([0-9a-f]{64})$")]
    private static partial Regex Sha256();

    // distribution/reference's digest grammar: algorithm ":" hex.
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$")]
    private static partial Regex OtherAlgorithm();
}

sealed class DigestJsonConverter : JsonConverter<Digest>
{
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return Digest.TryParse(text, out var digest)
            ? digest
            : throw new JsonException($"invalid digest '{text}': expected sha256:<64 lowercase hex characters>");
    }

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
