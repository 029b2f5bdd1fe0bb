using System.Buffers;
using System.Text;

namespace Lab.Runtime.Archives;

/// <summary>A read-only view of a tar stream with the SCHILY.xattr records taken out of its PAX extended headers,
/// for a <see cref="System.Formats.Tar.TarReader"/> to read. The reader cannot take those records: it decodes PAX
/// values as UTF-8 (mangling a binary value) and splits records at the first newline, so a value holding byte
/// 0x0A makes it refuse the whole archive. This view follows the tar's block structure, keeps the records' raw
/// bytes for the entry that follows (<see cref="EntryRecords"/>) and hands the reader the extended header
/// rewritten without them (size and checksum fixed; none at all when nothing else was in it). Everything else
/// passes through unchanged; what it cannot follow it passes through for the reader to refuse. It cannot seek:
/// the reader must read every byte in order for the filter to follow.</summary>
internal sealed class XattrRecordFilter(Stream inner) : Lab.Runtime.Images.Oci.ForwardReadStream
{
    const int Block = 512;
    const int MaxExtendedHeader = 1 << 20; // Go's maxSpecialFileSize

    readonly byte[] _header = new byte[Block];
    byte[] _out = [];          // bytes ready for the reader
    int _outStart;
    long _passThrough;         // entry data and padding to pass unchanged before the next header
    List<KeyValuePair<string, byte[]>> _pendingXattrs = [];
    long? _pendingSize;

    /// <summary>Entries seen so far (what the reader returns: real entries and global headers).</summary>
    public int Entries { get; private set; }

    /// <summary>The SCHILY.xattr records (raw values) of the last entry seen.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> EntryRecords { get; private set; } = [];

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadCoreAsync(buffer.AsMemory(offset, count), sync: true, CancellationToken.None).GetAwaiter().GetResult();

    public override int Read(Span<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var n = Read(rented, 0, buffer.Length);
            rented.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
        ReadCoreAsync(buffer, sync: false, ct);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadCoreAsync(buffer.AsMemory(offset, count), sync: false, ct).AsTask();

    /// <summary>With <paramref name="sync"/>, every read of the inner stream is synchronous (so is the whole call).</summary>
    async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, bool sync, CancellationToken ct)
    {
        if (buffer.Length == 0) return 0;
        while (true)
        {
            if (_outStart < _out.Length)
            {
                var n = Math.Min(buffer.Length, _out.Length - _outStart);
                _out.AsMemory(_outStart, n).CopyTo(buffer);
                _outStart += n;
                return n;
            }
            if (_passThrough > 0)
            {
                var slice = buffer[..(int)Math.Min(buffer.Length, _passThrough)];
                var n = sync ? inner.Read(slice.Span) : await inner.ReadAsync(slice, ct);
                _passThrough -= n;
                return n;
            }
            var got = await FillAsync(_header, sync, ct);
            if (got == 0) return 0;
            if (got < Block) Emit(_header.AsSpan(0, got).ToArray()); // a torn archive: the reader reports it
            else await OnHeaderAsync(sync, ct);
        }
    }

    async ValueTask<int> FillAsync(Memory<byte> buffer, bool sync, CancellationToken ct) =>
        sync ? inner.ReadAtLeast(buffer.Span, buffer.Length, throwOnEndOfStream: false)
            : await inner.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);

    async ValueTask OnHeaderAsync(bool sync, CancellationToken ct)
    {
        if (!_header.AsSpan().ContainsAnyExcept((byte)0)) // an end-of-archive block
        {
            Emit(_header.ToArray());
            return;
        }
        var size = Numeric(_header.AsSpan(124, 12));
        switch (_header[156])
        {
            case (byte)'x' when size is > 0 and <= MaxExtendedHeader:
                var data = new byte[Padded(size)];
                var got = await FillAsync(data, sync, ct);
                if (got < data.Length)
                {
                    Emit([.. _header, .. data.AsSpan(0, got)]);
                    return;
                }
                RewriteExtendedHeader(data.AsSpan(0, (int)size));
                return;
            case (byte)'x': // empty, or too large to hold: the reader deals with it as it is
                _pendingXattrs = [];
                _pendingSize = null;
                break;
            case (byte)'g' or (byte)'L' or (byte)'K': // a global header; a GNU long name: the pending records still apply
                if (_header[156] == (byte)'g') NewEntry([]);
                break;
            default:
                NewEntry(_pendingXattrs);
                if (_pendingSize is { } paxSize) size = paxSize;
                _pendingXattrs = [];
                _pendingSize = null;
                if (_header[156] is >= (byte)'1' and <= (byte)'6') size = 0; // header-only types, as the reader has them
                break;
        }
        Emit(_header.ToArray());
        _passThrough = Padded(size);
    }

    void NewEntry(List<KeyValuePair<string, byte[]>> xattrs)
    {
        Entries++;
        EntryRecords = xattrs;
    }

    void RewriteExtendedHeader(ReadOnlySpan<byte> data)
    {
        List<KeyValuePair<string, byte[]>> records;
        try
        {
            records = PaxRecords.Parse(data);
        }
        catch (InvalidDataException)
        {
            Emit([.. _header, .. data, .. new byte[Padded(data.Length) - data.Length]]); // the reader reports it
            return;
        }
        _pendingXattrs = records.Where(r => r.Key.StartsWith(TarXattrs.PaxPrefix, StringComparison.Ordinal)).ToList();
        var rest = records.Where(r => !r.Key.StartsWith(TarXattrs.PaxPrefix, StringComparison.Ordinal)).ToList();
        var sizeRecord = rest.LastOrDefault(r => r.Key == "size").Value;
        _pendingSize = sizeRecord is not null && long.TryParse(sizeRecord, out var s) ? s : null;
        if (rest.Count == 0) return; // nothing left for the reader: no extended header
        var kept = PaxRecords.Format(rest);
        var header = _header.ToArray();
        Encoding.ASCII.GetBytes(Convert.ToString(kept.Length, 8).PadLeft(11, '0')).CopyTo(header, 124);
        header[135] = 0;
        header.AsSpan(148, 8).Fill((byte)' ');
        Encoding.ASCII.GetBytes(Convert.ToString(header.Sum(b => (long)b), 8).PadLeft(6, '0')).CopyTo(header, 148);
        header[154] = 0;
        Emit([.. header, .. kept, .. new byte[Padded(kept.Length) - kept.Length]]);
    }

    void Emit(byte[] bytes)
    {
        _out = bytes;
        _outStart = 0;
    }

    /// <summary>A numeric field: octal text, or base-256 when the top bit of its first byte is set.</summary>
    static long Numeric(ReadOnlySpan<byte> field)
    {
        long value = 0;
        if ((field[0] & 0x80) != 0)
        {
            value = field[0] & 0x7F;
            foreach (var b in field[1..]) value = (value << 8) | b;
            return value;
        }
        foreach (var b in field)
        {
            if (b is (byte)' ' or 0) { if (value == 0) continue; break; }
            if (b is < (byte)'0' or > (byte)'7') return 0;
            value = value * 8 + (b - '0');
        }
        return value;
    }

    static long Padded(long size) => size <= 0 ? 0 : (size + Block - 1) / Block * Block;
}
