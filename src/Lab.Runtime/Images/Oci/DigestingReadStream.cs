using System.Security.Cryptography;

namespace Lab.Runtime.Images.Oci;

/// <summary>Read-only stream that SHA-256s what passes through it: the diff id of a layer is the digest of its
/// uncompressed tar, known once the tar has been read to its end (<see cref="DrainToEnd"/>), without a second
/// pass. The write-side twin is <see cref="DigestingStream"/>.</summary>
sealed class DigestingReadStream(Stream inner) : ForwardReadStream
{
    readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long BytesRead { get; private set; }

    public Digest Digest => Digest.FromHash(_hash.GetCurrentHash());

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        _hash.AppendData(buffer[..n]);
        BytesRead += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var n = await inner.ReadAsync(buffer, ct);
        _hash.AppendData(buffer.Span[..n]);
        BytesRead += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    /// <summary>Reads (and hashes) whatever the consumer left unread, such as the zero blocks after a tar's
    /// end marker, which are part of the diff id too.</summary>
    public void DrainToEnd()
    {
        var buffer = new byte[1 << 16];
        while (Read(buffer) > 0) { }
    }

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
