namespace Lab.Runtime.Images.Oci;

/// <summary>An image in an archive: what it points to (a manifest or an index) and the names it carries there.
/// Import returns these; export takes them. <paramref name="RefName"/> is an OCI layout's bare
/// <c>org.opencontainers.image.ref.name</c> (usually just a tag, e.g. "latest") when no full name came with
/// it: the caller decides which repository it belongs to.</summary>
public sealed record ArchiveImage(Descriptor Target, IReadOnlyList<Reference> Names, string? RefName = null);
