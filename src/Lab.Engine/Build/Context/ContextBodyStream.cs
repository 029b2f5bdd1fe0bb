namespace Lab.Engine.Build.Context;

/// <summary>The request body as the context's tar reader takes it, read as it arrives (no copy on disk first):
/// the first bytes, already read to recognise the format, come back first; more than the machine's disk is
/// refused as it streams; and a plain tar gets its missing end. The CLI's tar has neither the last entry's padding
/// nor the end-of-archive blocks when it added a Dockerfile from outside the context (its tar rewriter closes the
/// pipe before the tar writer); Go's reader takes the plain end of the stream as the end, .NET's wants them, and
/// extra zero blocks after a real end are ignored. Only asynchronous reads: Kestrel refuses synchronous ones.</summary>
sealed class ContextBodyStream(byte[] head, Stream body, long maxBytes, bool padEnd, Func<Exception> tooLarge) : Lab.Runtime.Images.Oci.ForwardReadStream
{
    int _headOffset;
    long _total = head.Length;
    byte[]? _trailer;
    int _trailerOffset;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (buffer.Length == 0) return 0;
        if (_headOffset < head.Length)
        {
            var count = Math.Min(buffer.Length, head.Length - _headOffset);
            head.AsMemory(_headOffset, count).CopyTo(buffer);
            _headOffset += count;
            return count;
        }
        if (_trailer is null)
        {
            var read = await body.ReadAsync(buffer, ct);
            if (read > 0)
            {
                _total += read;
                if (_total > maxBytes) throw tooLarge();
                return read;
            }
            _trailer = padEnd && _total > 0 ? new byte[(int)((512 - _total % 512) % 512) + 1024] : [];
        }
        var left = Math.Min(buffer.Length, _trailer.Length - _trailerOffset);
        _trailer.AsMemory(_trailerOffset, left).CopyTo(buffer);
        _trailerOffset += left;
        return left;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("the build context is read asynchronously");
}
