using Lab.Engine.Http;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Images;

/// <summary>The name a new image gets from the <c>repo</c> and <c>tag</c> query parameters (commit, import), as
/// dockerd reads them: none when repo is empty; a digest is not a name one can give.</summary>
public static class RepoTag
{
    public static Reference? Parse(string? repo, string? tag)
    {
        if (string.IsNullOrEmpty(repo)) return null;
        var text = string.IsNullOrEmpty(tag) ? repo : $"{repo}:{tag}";
        return Reference.TryParse(text, out var reference) && reference!.Digest is null
            ? reference
            : throw EngineErrors.InvalidParameter($"invalid reference format: {text}");
    }
}
