namespace Lab.Runtime.Images.Oci;

/// <summary>How a layer says "this lower file is gone" in its two forms. In a tar (OCI image spec, layer.md,
/// from aufs): an empty file <c>.wh.&lt;name&gt;</c> beside the deleted entry, and <c>.wh..wh..opq</c> inside a
/// directory whose lower contents are all hidden. In an overlayfs lowerdir: a 0/0 character device named like
/// the deleted entry, and the xattr <c>trusted.overlay.opaque=y</c> on the opaque directory.</summary>
static class Whiteouts
{
    public const string Prefix = ".wh.";
    /// <summary>aufs bookkeeping names (hard-link dirs and the like); never real files, skipped.</summary>
    public const string MetaPrefix = ".wh..wh.";
    public const string OpaqueMarker = ".wh..wh..opq";
    public const string OverlayOpaqueXattr = "trusted.overlay.opaque";
    public static ReadOnlySpan<byte> OverlayOpaqueValue => "y"u8;
}
