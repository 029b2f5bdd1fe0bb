using Lab.Runtime.Volumes;

namespace Lab.Engine.Api;

/// <summary>A volume as dockerd shows it (api/types/volume.Volume): Go's field names, RFC 3339 CreatedAt, null
/// Labels/Options when there are none.</summary>
public static class VolumesView
{
    public static Dictionary<string, object?> Of(VolumeRecord v) => new()
    {
        ["CreatedAt"] = v.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        ["Driver"] = v.Driver,
        ["Labels"] = v.Labels.Count == 0 ? null : v.Labels,
        ["Mountpoint"] = v.Mountpoint,
        ["Name"] = v.Name,
        ["Options"] = v.Options.Count == 0 ? null : v.Options,
        ["Scope"] = "local",
    };
}
