namespace Lab.Runtime.Volumes;

/// <summary>Where volumes live inside a lab machine: on its disk (so they count in its quota), bound at /var/lib/lab
/// by the machine's init, as dockerd keeps them under /var/lib/docker/volumes.</summary>
public static class VolumePaths
{
    public const string Root = "/var/lib/lab/volumes";

    public static string DirOf(string name) => $"{Root}/{name}";

    /// <summary>The volume's data directory, its Mountpoint.</summary>
    public static string DataDir(string name) => $"{Root}/{name}/_data";
}
