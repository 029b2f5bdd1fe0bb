namespace Lab.Courses.Catalog;

/// <summary>realpath(3) in managed code: the absolute path with every symbolic link resolved, or null when the
/// path does not exist or links loop.</summary>
internal static class RealPath
{
    private const int MaxLinks = 40; // Linux's own limit (ELOOP)

    public static string? Of(string path)
    {
        var pending = new Stack<string>(Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = "/";
        var links = 0;
        while (pending.TryPop(out var segment))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                resolved = Path.GetDirectoryName(resolved) ?? "/";
                continue;
            }

            var next = Path.Join(resolved, segment);
            FileSystemInfo info = new FileInfo(next);
            if (!info.Exists)
            {
                info = new DirectoryInfo(next);
                if (!info.Exists)
                {
                    return null;
                }
            }

            if (info.LinkTarget is not { } target)
            {
                resolved = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            // Resolve the link's target in place of this segment, then carry on with the rest.
            foreach (var part in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(part);
            }

            if (target.StartsWith('/'))
            {
                resolved = "/";
            }
        }

        return resolved;
    }
}
