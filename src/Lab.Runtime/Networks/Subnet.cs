using System.Net;

namespace Lab.Runtime.Networks;

/// <summary>An IPv4 prefix ("172.18.0.0/16") and the address arithmetic IPAM needs. Addresses are kept as host-order
/// integers: comparisons and "the n-th host" are then plain arithmetic.</summary>
public readonly record struct Subnet(uint Network, int PrefixLength)
{
    public uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);
    public uint First => Network & Mask;
    public uint Last => First | ~Mask;

    public bool Contains(uint address) => (address & Mask) == First;

    public bool Overlaps(Subnet other) => First <= other.Last && other.First <= Last;

    public override string ToString() => $"{Format(First)}/{PrefixLength}";

    /// <summary>Parses "a.b.c.d/n"; the address is kept as given (dockerd refuses host bits set, see
    /// <see cref="IsCanonical"/>).</summary>
    public static Subnet Parse(string text, string what = "subnet")
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || !int.TryParse(text[(slash + 1)..], out var prefix) || prefix is < 0 or > 32
            || !TryParseAddress(text[..slash], out var address))
            throw new LabException(ErrorKind.InvalidParameter, $"invalid network config:\ninvalid {what} {text}: invalid CIDR block notation");
        return new Subnet(address, prefix);
    }

    public bool IsCanonical => Network == First;

    public static bool TryParseAddress(string text, out uint address)
    {
        address = 0;
        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || text.Count(ch => ch == '.') != 3) return false;
        var bytes = ip.GetAddressBytes();
        address = (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
        return true;
    }

    public static uint ParseAddress(string text, string what) =>
        TryParseAddress(text, out var address) ? address
            : throw new LabException(ErrorKind.InvalidParameter, $"invalid {what}: {text}");

    public static string Format(uint address) =>
        $"{address >> 24}.{address >> 16 & 0xff}.{address >> 8 & 0xff}.{address & 0xff}";

    /// <summary>dockerd derives a container's MAC from its IPv4 address: 02:42 then the four bytes.</summary>
    public static string MacOf(uint address) =>
        $"02:42:{address >> 24:x2}:{address >> 16 & 0xff:x2}:{address >> 8 & 0xff:x2}:{address & 0xff:x2}";
}
