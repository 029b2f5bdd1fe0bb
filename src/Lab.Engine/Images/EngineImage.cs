using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Images;

/// <summary>One image as a machine sees it: Docker's image id (the config digest), what its names point to, the
/// manifest for this host and its config, and every name the machine gives it (tags and <c>repo@digest</c>).</summary>
public sealed record EngineImage(
    Digest Id,
    Descriptor Target,
    Descriptor ManifestDescriptor,
    ImageManifest Manifest,
    ImageConfig Config,
    IReadOnlyList<Reference> Names)
{
    /// <summary>dockerd's short id (12 hex characters), as in its conflict messages.</summary>
    public string ShortId => Id.Hex[..12];

    public IEnumerable<Reference> Tags => Names.Where(n => n.Digest is null);

    public IReadOnlyList<string> RepoTags => Tags.Select(n => n.FamiliarString).ToList();

    /// <summary><c>repo@sha256:…</c> for every name given by digest.</summary>
    public IReadOnlyList<string> RepoDigests => Names.Where(n => n.Digest is not null)
        .Select(n => $"{n.FamiliarName}@{n.Digest}").Distinct().ToList();

    /// <summary>The sum of the layers as stored (what dockerd's Size means for a pulled image).</summary>
    public long Size => Manifest.Layers.Sum(l => l.Size);

    /// <summary>The image a build step made this one on (dockerd's Parent), while the machine still has it.</summary>
    public Digest? Parent { get; init; }

    /// <summary>Another image of the machine was built on this one: without a name it is then an intermediate
    /// image (<c>docker images -a</c> only), not a dangling one.</summary>
    public bool HasChildren { get; init; }

    public bool IsDangling => Names.Count == 0 && !HasChildren;

    /// <summary>A build step's image with no name that later steps built on: hidden from <c>docker images</c>.</summary>
    public bool IsIntermediate => Names.Count == 0 && HasChildren;

    public DateTimeOffset Created => Config.Created ?? DateTimeOffset.UnixEpoch;

    public IReadOnlyDictionary<string, string> Labels =>
        Config.Config?.Labels ?? new Dictionary<string, string>();
}
