namespace Lab.Runtime.Containers;

/// <summary>Paths inside a container, handled as text the way Go's path.Clean does (docker's own rules for mount
/// targets and symlink targets): "." dropped, ".." pops, never above "/".</summary>
public static class ContainerPaths
{
    public static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }
}
