using System.IO.Compression;

namespace Lab.Runtime.Images.Oci;

/// <summary>How a layer blob is compressed, told by its first bytes rather than its media type (docker-archive
/// files have none, and a mislabelled layer is common enough).</summary>
public enum LayerCompression { None, Gzip, Zstd }

public static class LayerCompressions
{
    static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];
    static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xb5, 0x2f, 0xfd];

    public static LayerCompression Detect(ReadOnlySpan<byte> head) =>
        head.StartsWith(GzipMagic) ? LayerCompression.Gzip
        : head.StartsWith(ZstdMagic) ? LayerCompression.Zstd
        : LayerCompression.None;

    /// <summary>Detects the compression of a seekable stream from its first bytes, leaving its position where
    /// it was.</summary>
    public static LayerCompression Detect(Stream seekable)
    {
        var start = seekable.Position;
        Span<byte> head = stackalloc byte[4];
        var read = seekable.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        seekable.Position = start;
        return Detect(head[..read]);
    }

    /// <summary>The uncompressed tar stream of a layer blob (a seekable stream, as the content store gives).</summary>
    public static Stream OpenTar(Stream blob, string what) => Decompress(blob, Detect(blob), what);

    /// <summary>The tar stream of an image archive that may be gzip-compressed (<c>docker load</c> accepts
    /// both). The stream need not seek: the sniffed bytes are given back in front of the rest.</summary>
    public static Stream OpenArchive(Stream stream)
    {
        var head = new byte[4];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var whole = new PrefixedStream(head[..read], stream);
        return Decompress(whole, Detect(head.AsSpan(0, read)), "the image archive");
    }

    static Stream Decompress(Stream stream, LayerCompression compression, string what) => compression switch
    {
        LayerCompression.None => stream,
        LayerCompression.Gzip => new GZipStream(stream, CompressionMode.Decompress, leaveOpen: false),
        // The BCL has no zstd decoder in .NET 10; registries still default to gzip.
        _ => throw new LabException(ErrorKind.InvalidParameter,
            $"{what} is zstd-compressed, which this image store cannot unpack yet (use gzip or plain tar)"),
    };
}
