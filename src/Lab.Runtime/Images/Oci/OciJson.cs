using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lab.Runtime.Images.Oci;

/// <summary>JSON as the image formats write it: exact field names from the types, absent rather than null
/// fields, and '+' or '&lt;' left readable (media types are full of '+'). Blobs are stored as received, so
/// these bytes only matter for documents Lab itself creates, which then hash the same every time.</summary>
public static class OciJson
{
    static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    public static byte[] Serialize<T>(T value, bool indented = false) =>
        JsonSerializer.SerializeToUtf8Bytes(value, indented ? Indented : Options);

    /// <summary>Parses <paramref name="json"/>; malformed input is an InvalidParameter error naming
    /// <paramref name="what"/> (e.g. "manifest sha256:…").</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options)
                ?? throw new LabException(ErrorKind.InvalidParameter, $"{what} is null");
        }
        catch (JsonException e)
        {
            throw new LabException(ErrorKind.InvalidParameter, $"{what} is not valid JSON of its kind: {e.Message}", e);
        }
    }
}
