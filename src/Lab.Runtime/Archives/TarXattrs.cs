namespace Lab.Runtime.Archives;

/// <summary>Which extended attributes travel in a tar (layers, export, `docker cp`) and how: as PAX
/// <c>SCHILY.xattr.&lt;name&gt;</c> records with raw byte values, the convention of Go's archive/tar and GNU tar.
/// One policy for writing and reading: the image author's own attributes (user.*) and file capabilities
/// (security.capability) are content; overlay's bookkeeping (trusted.overlay.*, user.overlay.*), security.selinux,
/// ACLs and the rest of trusted.* are the host's business and neither written nor restored.</summary>
internal static class TarXattrs
{
    public const string PaxPrefix = "SCHILY.xattr.";
    public const string Capability = "security.capability";

    // linux/capability.h: the revision sits in the top byte of the little-endian magic_etc word.
    const int RevisionOffset = 3, Revision2 = 2, Revision3 = 3, Revision2Size = 20;

    public static bool IsContent(string name) =>
        name == Capability
        || name.StartsWith("user.", StringComparison.Ordinal) && !name.StartsWith("user.overlay.", StringComparison.Ordinal);

    /// <summary>The PAX records for an inode's attributes: the content ones, with a VFS_CAP_REVISION_3 capability
    /// (bound to a user namespace's root uid) written as revision 2, as moby's ReadSecurityXattrToTarHeader does,
    /// since that root uid means nothing where the tar is unpacked.</summary>
    public static IEnumerable<KeyValuePair<string, byte[]>> ToRecords(IReadOnlyDictionary<string, byte[]>? xattrs) =>
        (xattrs ?? new Dictionary<string, byte[]>())
            .Where(x => IsContent(x.Key))
            .Select(x => new KeyValuePair<string, byte[]>(PaxPrefix + x.Key, x.Key == Capability ? AsRevision2(x.Value) : x.Value));

    /// <summary>The content attributes among an entry's PAX records (raw values).</summary>
    public static Dictionary<string, byte[]> FromRecords(IEnumerable<KeyValuePair<string, byte[]>> records)
    {
        var xattrs = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, value) in records)
            if (key.StartsWith(PaxPrefix, StringComparison.Ordinal) && IsContent(key[PaxPrefix.Length..]))
                xattrs[key[PaxPrefix.Length..]] = value;
        return xattrs;
    }

    static byte[] AsRevision2(byte[] capability)
    {
        if (capability.Length <= RevisionOffset || capability[RevisionOffset] != Revision3) return capability;
        var v2 = capability[..Math.Min(Revision2Size, capability.Length)];
        v2[RevisionOffset] = Revision2;
        return v2;
    }
}
