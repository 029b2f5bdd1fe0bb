namespace Lab.Runtime.Containers;

/// <summary>dockerd's "init layer": a read-only layer between a container's image and its writable layer that
/// holds the mount points the runtime needs (/proc, /sys, /dev, and the /etc/hosts, /etc/hostname and
/// /etc/resolv.conf files the network bind-mounts). With them below the upper dir, mounting there writes nothing
/// into it, so `docker diff` and `docker commit` of a container that changed nothing are empty, as with dockerd.
/// One directory, shared by every container, made once (atomically: built aside, then renamed).</summary>
internal static class InitLayer
{
    private static readonly string[] Dirs = ["proc", "sys", "dev", "etc"];
    private static readonly string[] Files = ["etc/hosts", "etc/hostname", "etc/resolv.conf"];

    public static string Ensure(string storeRoot)
    {
        var dir = Path.Combine(storeRoot, "init-layer");
        if (Directory.Exists(dir)) return dir;
        var scratch = Path.Combine(storeRoot, $"init-layer.{Environment.ProcessId}.{Guid.NewGuid():N}");
        foreach (var sub in Dirs)
            Directory.CreateDirectory(Path.Combine(scratch, sub), UnixFileMode.UserRead | UnixFileMode.UserWrite
                | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead
                | UnixFileMode.OtherExecute);
        foreach (var file in Files)
        {
            var path = Path.Combine(scratch, file);
            File.WriteAllBytes(path, []);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        try
        {
            Directory.Move(scratch, dir);
        }
        catch (IOException) when (Directory.Exists(dir))
        {
            Directory.Delete(scratch, recursive: true); // another server made it first
        }
        return dir;
    }
}
