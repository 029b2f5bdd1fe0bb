namespace Lab.Runtime.Containers.Filesystem;

/// <summary>A path inside a container, as given to the archive endpoints (`docker cp`): made absolute, with a
/// trailing "/" or "/." kept (they mean "the directory itself, following a symlink" to Docker). A ".." component or
/// a NUL byte is refused outright: resolving in the container's root would keep it inside anyway, but a path that
/// tries to climb out is an attack, not a request.</summary>
public sealed record ContainerPath
{
    private ContainerPath(string absolute, string dir, string @base)
    {
        Absolute = absolute;
        Dir = dir;
        Base = @base;
    }

    /// <summary>The path, absolute, as asked (trailing separator or "/." kept).</summary>
    public string Absolute { get; }

    /// <summary>Everything up to the last component (resolved following symlinks, in the container's root).</summary>
    public string Dir { get; }

    /// <summary>The last component ("" or "." when the path names its directory itself); not followed if a symlink.</summary>
    public string Base { get; }

    /// <summary>Go's filepath.Base of the path: the name Docker gives the archive's top entry and the stat.</summary>
    public string Name
    {
        get
        {
            var trimmed = Absolute.TrimEnd('/');
            if (trimmed.Length == 0) return "/";
            return trimmed[(trimmed.LastIndexOf('/') + 1)..];
        }
    }

    public static ContainerPath Parse(string? path)
    {
        if (string.IsNullOrEmpty(path)) throw new LabException(ErrorKind.InvalidParameter, "path cannot be empty");
        if (path.Contains('\0')) throw new LabException(ErrorKind.InvalidParameter, "path contains a NUL byte");
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Contains(".."))
            throw new LabException(ErrorKind.InvalidParameter,
                $"invalid path '{path}': '..' is not allowed in a path inside a container");
        var kept = parts.Where(p => p != ".").ToList();
        var trailing = path.EndsWith("/.", StringComparison.Ordinal) || path == "." ? "/." : path.EndsWith('/') ? "/" : "";
        var clean = "/" + string.Join('/', kept);
        var absolute = clean == "/" ? (trailing == "/." ? "/." : "/") : clean + trailing;
        if (trailing.Length > 0 || kept.Count == 0) return new ContainerPath(absolute, clean, trailing == "/." ? "." : "");
        var slash = clean.LastIndexOf('/');
        return new ContainerPath(absolute, slash == 0 ? "/" : clean[..slash], kept[^1]);
    }

    public override string ToString() => Absolute;
}
