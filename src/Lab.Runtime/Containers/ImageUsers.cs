namespace Lab.Runtime.Containers;

/// <summary>Resolves `-u`/USER (name, uid, name:group, uid:gid) to numbers from the image's /etc/passwd and
/// /etc/group, read from its layer directories on the host (top layer first) — never through the container's
/// root, where a planted symlink could point at a host file. "UID:GID[:G1,G2]" is lab-init's --user format.</summary>
internal static class ImageUsers
{
    public static string? Resolve(string user, IReadOnlyList<string> layers)
    {
        if (string.IsNullOrEmpty(user)) return null;
        var parts = user.Split(':', 2);
        var passwd = ReadTable(layers, "etc/passwd");
        var groups = ReadTable(layers, "etc/group");
        string uid, gid;
        string? name = null;
        if (int.TryParse(parts[0], out _))
        {
            uid = parts[0];
            var entry = passwd.FirstOrDefault(e => e.Length > 3 && e[2] == uid);
            gid = entry?[3] ?? "0";
            name = entry?[0];
        }
        else
        {
            var entry = passwd.FirstOrDefault(e => e.Length > 3 && e[0] == parts[0])
                ?? throw new LabException(ErrorKind.InvalidParameter,
                    $"unable to find user {parts[0]}: no matching entries in passwd file");
            (uid, gid, name) = (entry[2], entry[3], entry[0]);
        }
        if (parts.Length == 2)
        {
            gid = int.TryParse(parts[1], out _)
                ? parts[1]
                : groups.FirstOrDefault(g => g.Length > 2 && g[0] == parts[1])?[2]
                  ?? throw new LabException(ErrorKind.InvalidParameter,
                      $"unable to find group {parts[1]}: no matching entries in group file");
        }
        // As dockerd's spec: the primary group is also the first supplementary one (`id` says groups=GID even for
        // a uid:gid with no entry in the image), then the groups that list the user.
        var supplementary = (name is null ? [] : groups.Where(g => g.Length > 3 && g[3].Split(',').Contains(name)).Select(g => g[2]))
            .Prepend(gid).Distinct();
        return $"{uid}:{gid}:{string.Join(',', supplementary)}";
    }

    private static IReadOnlyList<string[]> ReadTable(IReadOnlyList<string> layers, string relative)
    {
        foreach (var layer in layers)
        {
            var path = Path.Combine(layer, relative);
            var info = new FileInfo(path);
            if (info.LinkTarget is not null || !info.Exists) continue; // a symlink or a whiteout: look no further than files
            return File.ReadAllLines(path).Where(l => !l.StartsWith('#')).Select(l => l.Split(':')).ToList();
        }
        return [];
    }
}
