namespace Lab.Runtime.Terminals;

/// <summary>The last <see cref="Capacity"/> bytes a terminal printed, replayed to a reconnecting browser so its
/// screen comes back. A byte ring: older output is overwritten, never grown.</summary>
public sealed class Scrollback(int capacity = Scrollback.DefaultCapacity)
{
    public const int DefaultCapacity = 256 * 1024;

    private readonly byte[] _ring = new byte[capacity];
    private long _written;

    public int Capacity => _ring.Length;

    public long TotalWritten => _written;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.Length >= _ring.Length)
        {
            data[^_ring.Length..].CopyTo(_ring);
            _written += data.Length;
            // Keep the ring's start aligned with _written % Capacity.
            Rotate((int)(_written % _ring.Length));
            return;
        }
        int start = (int)(_written % _ring.Length);
        int first = Math.Min(data.Length, _ring.Length - start);
        data[..first].CopyTo(_ring.AsSpan(start));
        data[first..].CopyTo(_ring);
        _written += data.Length;
    }

    public byte[] Snapshot()
    {
        if (_written <= _ring.Length)
            return _ring.AsSpan(0, (int)_written).ToArray();
        int start = (int)(_written % _ring.Length);
        var result = new byte[_ring.Length];
        _ring.AsSpan(start).CopyTo(result);
        _ring.AsSpan(0, start).CopyTo(result.AsSpan(_ring.Length - start));
        return result;
    }

    // After a whole-buffer overwrite the newest byte sits at the end; move it so Snapshot's arithmetic holds.
    private void Rotate(int newStart)
    {
        if (newStart == 0) return;
        var copy = _ring.ToArray();
        copy.AsSpan(0, _ring.Length - newStart).CopyTo(_ring.AsSpan(newStart));
        copy.AsSpan(_ring.Length - newStart).CopyTo(_ring);
    }
}
