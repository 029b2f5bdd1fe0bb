namespace Lab.Runtime.Images.Oci;

/// <summary>Paths inside an image archive, which come from the archive itself (manifest.json, symlinks) and
/// so must never name anything outside it.</summary>
static class ArchivePath
{
    /// <summary>A path relative to the archive root; absolute paths and ".." are refused.</summary>
    public static string Normalize(string path, string what)
    {
        if (path.StartsWith('/') || path.Contains('\0'))
            throw new LabException(ErrorKind.InvalidParameter, $"{what}: path '{path}' is not relative to the archive");
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToArray();
        if (parts.Contains("..") || parts.Length == 0)
            throw new LabException(ErrorKind.InvalidParameter, $"{what}: path '{path}' leaves the archive");
        return string.Join('/', parts);
    }

    /// <summary>Where a symlink at <paramref name="linkPath"/> pointing to <paramref name="target"/> leads,
    /// within the archive (legacy <c>docker save</c> links repeated layers as <c>../&lt;id&gt;/layer.tar</c>).</summary>
    public static string ResolveSymlink(string linkPath, string target, string what)
    {
        if (target.StartsWith('/'))
            throw new LabException(ErrorKind.InvalidParameter, $"{what}: symlink '{linkPath}' points outside the archive");
        var parts = linkPath.Split('/').SkipLast(1).ToList();
        foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part != "..") { parts.Add(part); continue; }
            if (parts.Count == 0)
                throw new LabException(ErrorKind.InvalidParameter, $"{what}: symlink '{linkPath}' points outside the archive");
            parts.RemoveAt(parts.Count - 1);
        }
        return Normalize(string.Join('/', parts), what);
    }

    /// <summary>The digest a file name announces — <c>&lt;hex&gt;</c>, <c>&lt;hex&gt;.json</c> (legacy config) or
    /// <c>blobs/sha256/&lt;hex&gt;</c> — so its content is verified while stored. Null for other names, such as
    /// legacy <c>&lt;id&gt;/layer.tar</c>, whose ids are not digests of the file.</summary>
    public static Digest? AnnouncedDigest(string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        if (name.EndsWith(".json", StringComparison.Ordinal)) name = name[..^5];
        return Digest.TryParse($"{Digest.Algorithm}:{name}", out var digest) ? digest : null;
    }
}
