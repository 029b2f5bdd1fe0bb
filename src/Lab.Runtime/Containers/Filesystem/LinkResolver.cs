using Lab.Runtime.Native;

namespace Lab.Runtime.Containers.Filesystem;

/// <summary>The LinkTarget of docker cp's path stat: where a symlink leads inside the container's root, as a path.</summary>
internal static class LinkResolver
{
    /// <summary>Where a symlink leads, as a path inside the container: followed link by link (at most 40, as the
    /// kernel), ".." never above the root.</summary>
    public static string Resolve(FileDescriptor root, string linkPath, string target)
    {
        var current = linkPath.TrimEnd('/');
        for (int hops = 0; hops < 40; hops++)
        {
            var dir = current[..Math.Max(current.LastIndexOf('/'), 0)];
            current = ContainerPaths.Clean(target.StartsWith('/') ? target : dir + "/" + target);
            var slash = current.LastIndexOf('/');
            using var parent = ResolveInRoot.OpenPath(root, slash <= 0 ? "/" : current[..slash]);
            using var next = parent is null || current == "/" ? null : FsCalls.OpenAt(parent, current[(slash + 1)..]);
            if (next is null || !Inode.Of(next, current).IsSymlink) return current;
            target = FsCalls.ReadLink(next, current);
        }
        return current;
    }
}
