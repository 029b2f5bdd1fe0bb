namespace Lab.Runtime.Images.Oci;

/// <summary>A layer extracted into the store: its diff id (digest of the uncompressed tar) and its read-only
/// directory, <c>&lt;store&gt;/layers/sha256/&lt;diff id hex&gt;</c>, ready to be an overlay lowerdir.</summary>
public sealed record UnpackedLayer(Digest DiffId, string Path);
