using Lab.Runtime;

namespace Lab.Engine.Build.Steps;

/// <summary>COPY --chown=user[:group]: numbers as given, names looked up in the image's /etc/passwd and
/// /etc/group (a user alone also gives that user's group, as dockerd does).</summary>
public static class Owners
{
    public static (int Uid, int Gid) Resolve(string chown, SourceTree? image)
    {
        var parts = chown.Split(':', 2);
        var user = parts[0];
        int uid, gid;
        if (int.TryParse(user, out uid))
            gid = uid;
        else
        {
            var entry = Find(image, "etc/passwd", user) ?? throw new LabException(ErrorKind.InvalidParameter,
                $"unable to convert uid/gid chown string to host mapping: can't find uid for user {user}: no such user: {user}");
            uid = int.Parse(entry[2]);
            gid = int.Parse(entry[3]);
        }
        if (parts.Length == 2)
        {
            var group = parts[1];
            if (!int.TryParse(group, out gid))
            {
                var entry = Find(image, "etc/group", group) ?? throw new LabException(ErrorKind.InvalidParameter,
                    $"unable to convert uid/gid chown string to host mapping: can't find gid for group {group}: no such group: {group}");
                gid = int.Parse(entry[2]);
            }
        }
        return (uid, gid);
    }

    static string[]? Find(SourceTree? image, string file, string name)
    {
        if (image?.Resolve(file) is not { Info: FileInfo info }) return null;
        return File.ReadLines(info.FullName).Select(l => l.Split(':'))
            .FirstOrDefault(f => f.Length >= 3 && f[0] == name && f.Skip(2).Take(file.EndsWith("passwd") ? 2 : 1).All(n => int.TryParse(n, out _)));
    }
}
