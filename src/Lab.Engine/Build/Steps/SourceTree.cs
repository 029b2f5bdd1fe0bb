namespace Lab.Engine.Build.Steps;

/// <summary>A read-only file tree that COPY reads from or looks into: the build context (one directory) or an
/// image (its unpacked layer directories, top first, merged as overlayfs would: <c>.wh.name</c> hides a name
/// below, <c>.wh..wh..opq</c> hides a whole directory below). Paths are '/'-separated and relative to the tree's
/// root. Symlinks met on the way are resolved inside the tree, never on the host (moby's FollowSymlinkInScope):
/// these directories are host paths, and a student's symlink must not lead out of them.</summary>
public sealed class SourceTree(IReadOnlyList<string> layersTopFirst)
{
    const string Whiteout = ".wh.";
    const string Opaque = ".wh..wh..opq";

    public static SourceTree Directory(string root) => new([root]);

    /// <summary>The entry at <paramref name="path"/> with symlinks on the way resolved (and the last one too when
    /// <paramref name="followLast"/>): its canonical path in the tree and the host file that holds it, or null.</summary>
    public (string Path, FileSystemInfo Info)? Resolve(string path, bool followLast = true)
    {
        var pending = new Queue<string>(Split(path));
        var resolved = new List<string>();
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Dequeue();
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            resolved.Add(part);
            var info = Lookup(string.Join('/', resolved));
            if (info is null) return null;
            if (info.LinkTarget is { } target && (pending.Count > 0 || followLast))
            {
                if (++hops > 40) return null; // a loop of links
                resolved.RemoveAt(resolved.Count - 1);
                if (target.StartsWith('/')) resolved.Clear();
                var rest = pending.ToList();
                pending = new Queue<string>([.. Split(target), .. rest]);
            }
        }
        var canonical = string.Join('/', resolved);
        return canonical.Length == 0 ? ("", new DirectoryInfo(layersTopFirst[0])) : Lookup(canonical) is { } found ? (canonical, found) : null;
    }

    /// <summary>The names in directory <paramref name="dir"/> (canonical, no symlinks), merged over the layers.</summary>
    public IReadOnlyList<string> List(string dir)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        foreach (var layer in layersTopFirst)
        {
            if (IsWhitedOut(layer, dir) || !AncestorsAreDirectories(layer, dir)) break;
            var host = Host(layer, dir);
            var info = new DirectoryInfo(host);
            if (info.LinkTarget is not null || !info.Exists)
            {
                if (File.Exists(host) || info.LinkTarget is not null) break; // a file or link hides the directory below
                continue;
            }
            var opaque = false;
            foreach (var child in info.EnumerateFileSystemInfos("*", new EnumerationOptions { AttributesToSkip = 0 }))
            {
                if (child.Name == Opaque) opaque = true;
                else if (child.Name.StartsWith(Whiteout, StringComparison.Ordinal)) hidden.Add(child.Name[Whiteout.Length..]);
                else if (!hidden.Contains(child.Name)) names.Add(child.Name);
            }
            foreach (var name in names) hidden.Add(name);
            if (opaque) break;
        }
        return names.ToList();
    }

    /// <summary>The host file of the topmost layer that has <paramref name="path"/> (canonical), or null.</summary>
    public FileSystemInfo? Lookup(string path)
    {
        if (path.Length == 0) return new DirectoryInfo(layersTopFirst[0]);
        foreach (var layer in layersTopFirst)
        {
            if (IsWhitedOut(layer, path)) return null;
            if (!AncestorsAreDirectories(layer, path)) return null; // a file or link here hides what is below
            var host = Host(layer, path);
            FileSystemInfo info = new FileInfo(host);
            if (info.Attributes == (FileAttributes)(-1)) continue; // nothing here in this layer
            if (info.Attributes.HasFlag(FileAttributes.Directory) && info.LinkTarget is null) info = new DirectoryInfo(host);
            return info;
        }
        return null;
    }

    /// <summary>Whether this layer deletes <paramref name="path"/> or one of its parents, or makes a parent
    /// opaque (then nothing of it comes from below: the caller stops at this layer when it has nothing).</summary>
    static bool IsWhitedOut(string layer, string path)
    {
        var parts = path.Split('/');
        var dir = layer;
        for (var i = 0; i < parts.Length; i++)
        {
            if (File.Exists(Path.Combine(dir, Whiteout + parts[i]))) return true;
            dir = Path.Combine(dir, parts[i]);
        }
        return false;
    }

    /// <summary>Each parent of <paramref name="path"/> in this layer is absent or a real directory, never a
    /// symlink, so joining the path on the host cannot leave the layer.</summary>
    static bool AncestorsAreDirectories(string layer, string path)
    {
        var parts = path.Split('/');
        var dir = layer;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            dir = Path.Combine(dir, parts[i]);
            var info = new FileInfo(dir);
            if (info.Attributes == (FileAttributes)(-1)) return true; // absent: nothing below either
            if (info.LinkTarget is not null || !info.Attributes.HasFlag(FileAttributes.Directory)) return false;
        }
        return true;
    }

    static string Host(string layer, string path) => path.Length == 0 ? layer : Path.Combine(layer, path);

    static IEnumerable<string> Split(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
}
