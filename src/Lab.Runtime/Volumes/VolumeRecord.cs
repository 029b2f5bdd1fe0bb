namespace Lab.Runtime.Volumes;

/// <summary>One volume of one machine, as persisted (machines/M/volumes/NAME.json) and inspected. Its data lives
/// inside the machine, at <see cref="Mountpoint"/> on the machine's disk.</summary>
public sealed record VolumeRecord
{
    public required string Name { get; init; }
    public required string Machine { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string Driver { get; init; } = VolumeHost.LocalDriver;
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>Made for one container (image VOLUME, `-v /path`): deleted with it by `rm -v` and --rm, and the only
    /// kind `volume prune` deletes without `all` (API ≥ 1.42).</summary>
    public bool Anonymous { get; init; }

    public string Mountpoint => VolumePaths.DataDir(Name);
}
