namespace Lab.Runtime.Containers.Filesystem;

/// <summary>A file's content at exactly the size fstat gave when its tar header was written: a file a running
/// container grows meanwhile is cut there, one it shrinks is padded with zeros, so the tar stays well formed.</summary>
internal sealed class BoundedStream(Stream inner, long length) : Stream
{
    long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true; // TarWriter takes the entry's size from Length
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = (int)Math.Min(buffer.Length, length - _position);
        if (wanted <= 0) return 0;
        var n = inner.Read(buffer[..wanted]);
        if (n == 0)
        {
            buffer[..wanted].Clear();
            n = wanted;
        }
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch { SeekOrigin.Begin => offset, SeekOrigin.Current => _position + offset, _ => length + offset };
        if (target != _position) throw new NotSupportedException("a file's content is read once, in order");
        return _position;
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
