namespace Lab.Runtime.Images.Oci;

/// <summary>Byte-array conveniences over <see cref="IContentStore"/> for the small JSON documents (manifests,
/// configs, indexes).</summary>
public static class ContentStoreExtensions
{
    /// <summary>Small documents are read whole; anything larger than this is not a manifest or config.</summary>
    public const int MaxDocumentSize = 16 << 20;

    public static async Task<BlobInfo> WriteBytesAsync(this IContentStore store, ReadOnlyMemory<byte> content,
        Digest? expected = null, CancellationToken ct = default)
    {
        using var stream = new MemoryStream(content.ToArray(), writable: false);
        return await store.WriteAsync(stream, expected, ct);
    }

    /// <summary>Stores <paramref name="document"/> as JSON and returns its descriptor.</summary>
    public static async Task<Descriptor> WriteJsonAsync<T>(this IContentStore store, T document, string mediaType,
        CancellationToken ct = default)
    {
        var bytes = OciJson.Serialize(document);
        var info = await store.WriteBytesAsync(bytes, ct: ct);
        return new Descriptor { MediaType = mediaType, Digest = info.Digest, Size = info.Size };
    }

    public static byte[] ReadAllBytes(this IContentStore store, Digest digest)
    {
        using var stream = store.OpenRead(digest);
        return ReadDocument(stream, digest.ToString());
    }

    /// <summary>Reads a whole small document, refusing one over <see cref="MaxDocumentSize"/>.</summary>
    internal static byte[] ReadDocument(Stream stream, string what)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int n;
        while ((n = stream.Read(chunk)) > 0)
        {
            if (buffer.Length + n > MaxDocumentSize)
                throw new LabException(ErrorKind.InvalidParameter,
                    $"{what} is larger than {MaxDocumentSize} bytes: not a manifest, index or config");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
