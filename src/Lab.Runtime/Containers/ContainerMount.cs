namespace Lab.Runtime.Containers;

/// <summary>One mount of a container, as dockerd's mount point: <see cref="Type"/> is "bind" (<see cref="Source"/> a
/// path in the lab machine's root), "volume" (<see cref="Source"/> the volume's name, its data on the machine's disk)
/// or "tmpfs" (no source). <see cref="Target"/> is an absolute path inside the container. Lab.Runtime performs them
/// in the container's mount namespace (native/lab-init.c run --mount/--tmpfs), parents first.</summary>
public sealed record ContainerMount(string Type, string Source, string Target)
{
    public const string Bind = "bind";
    public const string Volume = "volume";
    public const string Tmpfs = "tmpfs";

    public bool ReadOnly { get; init; }

    /// <summary>A bind's source directory is created when missing (`-v /dir:/x`; `--mount` refuses instead).</summary>
    public bool CreateSource { get; init; }

    /// <summary>volume-nocopy: an empty volume is not filled with what the image has at <see cref="Target"/>.</summary>
    public bool NoCopy { get; init; }

    /// <summary>tmpfs size in bytes (0: the kernel's default, half the memory) and mode (null: 1777).</summary>
    public long TmpfsSize { get; init; }
    public int? TmpfsMode { get; init; }

    /// <summary>Extra tmpfs options as `--tmpfs /x:rw,noexec,size=64m` gave them (already validated).</summary>
    public IReadOnlyList<string> TmpfsOptions { get; init; } = [];

    /// <summary>The mode string of `-v` (e.g. "ro", "z"), shown as Mode by inspect.</summary>
    public string Mode { get; init; } = "";

    /// <summary>How the mount was asked for: "bind" (-v / Binds), "mount" (--mount / Mounts), "tmpfs" (--tmpfs),
    /// "image" (the image's VOLUME), "volumes-from".</summary>
    public string Origin { get; init; } = "mount";

    /// <summary>A volume created for this container alone (VOLUME, `-v /path`): `rm -v` and --rm delete it.</summary>
    public bool Anonymous { get; init; }

    public bool ReadWrite => !ReadOnly;
}
