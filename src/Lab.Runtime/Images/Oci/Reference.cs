using System.Text.RegularExpressions;

namespace Lab.Runtime.Images.Oci;

/// <summary>An image reference the way Docker reads one (distribution/reference's grammar and its
/// normalisation, ParseNormalizedNamed): <c>nginx</c> is <c>docker.io/library/nginx</c>, <c>user/repo:tag</c>
/// is on docker.io, and a first component with a '.' or ':' (or <c>localhost</c>, or uppercase) is a registry
/// host, as in <c>host:5000/repo@sha256:…</c>. Error texts are dockerd's, which the CLI shows as they are.
/// <code>
/// reference  := name [ ":" tag ] [ "@" digest ]
/// name       := [domain '/'] path-component ['/' path-component]*
/// domain     := host [':' port-number]
/// tag        := /[\w][\w.-]{0,127}/
/// </code></summary>
public sealed partial record Reference
{
    public const string DefaultDomain = "docker.io";
    public const string DefaultTag = "latest";
    const string LegacyDefaultDomain = "index.docker.io";
    const string OfficialRepoPrefix = "library/";
    const int NameTotalLengthMax = 255;

    Reference(string domain, string path, string? tag, Digest? digest) =>
        (Domain, Path, Tag, Digest) = (domain, path, tag, digest);

    /// <summary>Registry host, e.g. <c>docker.io</c> or <c>registry.local:5000</c>.</summary>
    public string Domain { get; }

    /// <summary>Repository path in the registry, e.g. <c>library/nginx</c>.</summary>
    public string Path { get; }

    public string? Tag { get; }
    public Digest? Digest { get; }

    /// <summary>Full repository name, e.g. <c>docker.io/library/nginx</c>.</summary>
    public string Name => $"{Domain}/{Path}";

    /// <summary>The repository name as <c>docker images</c> shows it: <c>nginx</c>, <c>user/repo</c>,
    /// <c>host:5000/repo</c>.</summary>
    public string FamiliarName
    {
        get
        {
            if (Domain != DefaultDomain) return Name;
            var rest = Path.StartsWith(OfficialRepoPrefix, StringComparison.Ordinal) ? Path[OfficialRepoPrefix.Length..] : null;
            return rest is not null && !rest.Contains('/') ? rest : Path;
        }
    }

    /// <summary>The whole reference in its familiar form, e.g. <c>nginx:latest</c>.</summary>
    public string FamiliarString => FamiliarName + Suffix;

    public override string ToString() => Name + Suffix;

    string Suffix => (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    /// <summary>The reference with tag <c>latest</c> when it names neither a tag nor a digest (TagNameOnly).</summary>
    public Reference WithDefaultTag() => Tag is null && Digest is null ? WithTag(DefaultTag) : this;

    public Reference WithTag(string tag) =>
        TagPattern().IsMatch(tag)
            ? new Reference(Domain, Path, tag, null)
            : throw Invalid($"invalid tag format: '{tag}'");

    public Reference WithDigest(Digest digest) => new(Domain, Path, null, digest);

    /// <summary>The bare repository, without tag or digest.</summary>
    public Reference Repository => new(Domain, Path, null, null);

    public static bool TryParse(string? text, out Reference? reference)
    {
        try
        {
            reference = Parse(text!);
            return true;
        }
        catch (LabException)
        {
            reference = null;
            return false;
        }
    }

    /// <summary>Parses and normalises a reference as the docker CLI does before talking to the daemon. No
    /// default tag is added; see <see cref="WithDefaultTag"/>.</summary>
    public static Reference Parse(string text)
    {
        if (text is null) throw Invalid("invalid reference format");
        if (Identifier().IsMatch(text))
            throw Invalid($"invalid repository name ({text}), cannot specify 64-byte hexadecimal strings");

        var (domain, remainder) = SplitDockerDomain(text);
        var tagSeparator = remainder.IndexOf(':');
        var remote = tagSeparator < 0 ? remainder : remainder[..tagSeparator];
        if (remote.ToLowerInvariant() != remote)
            throw Invalid($"invalid reference format: repository name ({remote}) must be lowercase");

        var match = ReferencePattern().Match($"{domain}/{remainder}");
        if (!match.Success) throw Invalid("invalid reference format");
        var name = match.Groups["name"].Value;
        if (name.Length > NameTotalLengthMax)
            throw Invalid($"repository name must not be more than {NameTotalLengthMax} characters");

        var slash = name.IndexOf('/');
        return new Reference(name[..slash], name[(slash + 1)..],
            match.Groups["tag"].Success ? match.Groups["tag"].Value : null,
            match.Groups["digest"].Success ? Oci.Digest.Parse(match.Groups["digest"].Value) : null);
    }

    static (string Domain, string Remainder) SplitDockerDomain(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0) return (DefaultDomain, OfficialRepoPrefix + text); // "ubuntu", "ubuntu:22.04"

        var first = text[..slash];
        var (domain, remainder) =
            first == "localhost" || first.IndexOfAny(['.', ':']) >= 0 || first.ToLowerInvariant() != first
                ? (first, text[(slash + 1)..])
                : (DefaultDomain, text);
        if (domain == LegacyDefaultDomain) domain = DefaultDomain;
        if (domain == DefaultDomain && !remainder.Contains('/')) remainder = OfficialRepoPrefix + remainder;
        return (domain, remainder);
    }

    static LabException Invalid(string message) => new(ErrorKind.InvalidParameter, message);

    // Go's \w and [[:xdigit:]] are ASCII-only; .NET's \w is not, hence the explicit classes. \z, not $, which
    // would let a trailing newline through.
    const string PathComponent = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    const string DomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    const string Host = $@"(?:{DomainComponent}(?:\.{DomainComponent})*|\[[a-fA-F0-9:]+\])";
    const string TagText = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
    const string DigestText = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

    [GeneratedRegex($@"^(?<name>(?:{Host}(?::[0-9]+)?/)?{PathComponent}(?:/{PathComponent})*)(?::(?<tag>{TagText}))?(?:@(?<digest>{DigestText}))?\z")]
    private static partial Regex ReferencePattern();

    [GeneratedRegex($@"^{TagText}\z")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[a-f0-9]{64}\z")]
    private static partial Regex Identifier();
}
