using System.Buffers.Binary;
using System.Text;

namespace Lab.Runtime.Networks;

/// <summary>The little of RFC 1035 the embedded DNS needs: read a query's single question, write the answer (A
/// records, or none, or NXDOMAIN). Anything else (no question, several, a truncated packet) is a FORMERR, or is
/// dropped when not even the header is there.</summary>
public static class DnsMessage
{
    public const ushort TypeA = 1;
    public const int NoError = 0, FormErr = 1, NxDomain = 3, NotImp = 4;

    public sealed record Question(ushort Id, ushort Flags, string Name, ushort Type, ushort Class, int End);

    /// <summary>The query's question, or null when the packet is not a query we can answer.</summary>
    public static Question? Parse(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 12) return null;
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(packet);
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if ((flags & 0x8000) != 0) return null; // a response, not a query
        if (BinaryPrimitives.ReadUInt16BigEndian(packet[4..]) != 1) return new Question(id, flags, "", 0, 0, -1);
        var name = new StringBuilder();
        int at = 12;
        while (true)
        {
            if (at >= packet.Length) return new Question(id, flags, "", 0, 0, -1);
            int length = packet[at++];
            if (length == 0) break;
            if (length > 63 || at + length > packet.Length) return new Question(id, flags, "", 0, 0, -1); // no compression in a question
            if (name.Length > 0) name.Append('.');
            name.Append(Encoding.ASCII.GetString(packet.Slice(at, length)));
            at += length;
        }
        if (at + 4 > packet.Length) return new Question(id, flags, "", 0, 0, -1);
        return new Question(id, flags, name.ToString(), BinaryPrimitives.ReadUInt16BigEndian(packet[at..]),
            BinaryPrimitives.ReadUInt16BigEndian(packet[(at + 2)..]), at + 4);
    }

    /// <summary>The response to <paramref name="query"/>: its question echoed, then one A record per address.</summary>
    public static byte[] Answer(ReadOnlySpan<byte> packet, Question query, int rcode, IReadOnlyList<uint> addresses)
    {
        bool echo = query.End > 0;
        var response = new List<byte>(512);
        void U16(int v) { response.Add((byte)(v >> 8)); response.Add((byte)v); }
        U16(query.Id);
        // QR, the query's opcode and RD, RA, rcode. Not AA: dockerd's resolver leaves it clear, so nslookup in a
        // container prints "Non-authoritative answer:" as it does under dockerd.
        U16(0x8000 | (query.Flags & 0x7900) | 0x0080 | rcode);
        U16(echo ? 1 : 0);
        U16(addresses.Count);
        U16(0);
        U16(0);
        if (echo) response.AddRange(packet[12..query.End].ToArray());
        foreach (var address in addresses)
        {
            U16(0xc00c); // the name: a pointer to the question's
            U16(TypeA);
            U16(1);      // IN
            U16(0); U16(600); // TTL 600 s, as Docker's resolver gives
            U16(4);
            response.Add((byte)(address >> 24)); response.Add((byte)(address >> 16));
            response.Add((byte)(address >> 8)); response.Add((byte)address);
        }
        return response.ToArray();
    }
}
