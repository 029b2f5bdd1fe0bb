using Lab.Runtime.Containers;
using Lab.Runtime.Volumes;

namespace Lab.Engine.Containers;

/// <summary>A container's mounts as dockerd shows them: inspect's and ps's <c>Mounts</c> (types.MountPoint; --tmpfs
/// ones are not mount points, as in dockerd) and HostConfig's Binds, Mounts, Tmpfs and VolumesFrom as asked.</summary>
public static class MountView
{
    public static IReadOnlyList<Dictionary<string, object?>> MountPoints(ContainerSpec spec) =>
        spec.Mounts.Where(m => m.Origin != "tmpfs").OrderBy(m => m.Target, StringComparer.Ordinal).Select(m =>
        {
            var point = new Dictionary<string, object?> { ["Type"] = m.Type };
            if (m.Type == ContainerMount.Volume) point["Name"] = m.Source;
            point["Source"] = m.Type switch
            {
                ContainerMount.Volume => VolumePaths.DataDir(m.Source),
                ContainerMount.Bind => m.Source,
                _ => "",
            };
            point["Destination"] = m.Target;
            if (m.Type == ContainerMount.Volume) point["Driver"] = VolumeHost.LocalDriver;
            point["Mode"] = m.Mode;
            point["RW"] = !m.ReadOnly;
            point["Propagation"] = m.Type == ContainerMount.Bind ? "rprivate" : "";
            return point;
        }).ToList();

    public static IReadOnlyList<string>? Binds(ContainerSpec spec) =>
        spec.Mounts.Where(m => m.Origin == "bind")
            .Select(m => $"{m.Source}:{m.Target}{(m.Mode is "" or "z" && m.Type == ContainerMount.Volume || m.Mode == "" ? "" : ":" + m.Mode)}")
            .ToList() is { Count: > 0 } binds ? binds : null;

    public static IReadOnlyList<Dictionary<string, object?>>? Mounts(ContainerSpec spec) =>
        spec.Mounts.Where(m => m.Origin == "mount").Select(m =>
        {
            var mount = new Dictionary<string, object?> { ["Type"] = m.Type };
            if (m.Source.Length > 0 && !m.Anonymous) mount["Source"] = m.Source;
            mount["Target"] = m.Target;
            if (m.ReadOnly) mount["ReadOnly"] = true;
            if (m.Type == ContainerMount.Volume && (m.NoCopy || m.VolumeLabels is not null || m.VolumeDriverOptions is not null))
                mount["VolumeOptions"] = new Dictionary<string, object?>
                {
                    ["NoCopy"] = m.NoCopy, ["Labels"] = m.VolumeLabels,
                    ["DriverConfig"] = m.VolumeDriverOptions is null ? null : new { Name = m.VolumeDriver ?? "", Options = m.VolumeDriverOptions },
                };
            if (m.Type == ContainerMount.Tmpfs && (m.TmpfsSize > 0 || m.TmpfsMode is not null))
            {
                var tmpfs = new Dictionary<string, object?>(); // Go's omitempty
                if (m.TmpfsSize > 0) tmpfs["SizeBytes"] = m.TmpfsSize;
                if (m.TmpfsMode is int mode) tmpfs["Mode"] = mode;
                mount["TmpfsOptions"] = tmpfs;
            }
            return mount;
        }).ToList() is { Count: > 0 } mounts ? mounts : null;

    /// <summary>HostConfig's mount fields: Binds and VolumesFrom are null when empty, Mounts and Tmpfs absent
    /// (omitempty in moby's HostConfig).</summary>
    public static Dictionary<string, object?> AddTo(Dictionary<string, object?> hostConfig, ContainerSpec spec)
    {
        hostConfig["Binds"] = Binds(spec);
        if (Mounts(spec) is { } mounts) hostConfig["Mounts"] = mounts;
        if (Tmpfs(spec) is { } tmpfs) hostConfig["Tmpfs"] = tmpfs;
        hostConfig["VolumesFrom"] = spec.VolumesFrom.Count == 0 ? null : spec.VolumesFrom;
        return hostConfig;
    }

    /// <summary>Config.Volumes: the image's VOLUMEs and the request's (`-v /path`).</summary>
    public static IReadOnlyDictionary<string, object>? ConfigVolumes(ContainerRecord c) =>
        c.Config.Volumes.Concat(c.Spec.Mounts.Where(m => m.Origin == "image").Select(m => m.Target)).Distinct()
            .Order(StringComparer.Ordinal).ToDictionary(v => v, _ => (object)new { }) is { Count: > 0 } volumes ? volumes : null;

    public static IReadOnlyDictionary<string, string>? Tmpfs(ContainerSpec spec) =>
        spec.Mounts.Where(m => m.Origin == "tmpfs").ToDictionary(m => m.Target, m => m.Mode) is { Count: > 0 } tmpfs ? tmpfs : null;
}
