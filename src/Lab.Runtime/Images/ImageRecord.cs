using System.Text.Json;

namespace Lab.Runtime.Images;

/// <summary>What the store knows about a built image (<c>&lt;store&gt;/images/&lt;name&gt;.json</c>): which recipe
/// produced which layer. Written atomically, so a reader sees the old record or the new one, never half.</summary>
/// <param name="Layer">Digest of the layer tar, <c>sha256:&lt;hex&gt;</c>; also names the extracted layer dir.</param>
/// <param name="Size">Size in bytes of the layer tar blob.</param>
public sealed record ImageRecord(string Name, string RecipeHash, string Layer, DateTimeOffset Created, long Size)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The record at <paramref name="path"/>, or null when there is none or it cannot be read (the
    /// image is then simply rebuilt).</summary>
    public static ImageRecord? TryLoad(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ImageRecord>(File.ReadAllText(path), Json);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return null;
        }
    }

    public void Save(string path) => AtomicFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(this, Json));
}
