using Lab.Runtime.Containers;
using Lab.Runtime.Native;

namespace Lab.Runtime.Volumes;

public sealed partial class VolumeHost
{
    /// <summary>A create request's mounts made concrete, in dockerd's order (daemon/volumes.go registerMountPoints):
    /// the image's VOLUMEs (anonymous volumes), then --volumes-from, then -v/--mount/--tmpfs, each later one taking a
    /// destination over from an earlier one; two of the user's own on one destination are a "Duplicate mount point".
    /// Named volumes that do not exist are created, anonymous ones get a 64-hex name, and a `--mount type=bind`
    /// source must exist in the machine.</summary>
    public async Task<ContainerSpec> ResolveMountsAsync(string machine, ContainerSpec spec, CancellationToken ct = default)
    {
        var byTarget = new Dictionary<string, ContainerMount>(StringComparer.Ordinal);
        var order = new List<string>();
        void Put(ContainerMount m)
        {
            if (!byTarget.ContainsKey(m.Target)) order.Add(m.Target);
            byTarget[m.Target] = m;
        }

        var image = _containers.Images.Find(machine, spec.Image);
        foreach (var path in image?.Config.Config?.Volumes?.Keys ?? [])
            Put(new ContainerMount(ContainerMount.Volume, "", CleanTarget(path)) { Origin = "image" });
        foreach (var from in spec.VolumesFrom)
            foreach (var m in VolumesFrom(machine, from))
                Put(m);
        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in spec.Mounts)
        {
            // Config.Volumes of the request (`-v /path`) are like the image's: anything else on the path wins.
            if (m.Origin == "image") { if (!byTarget.ContainsKey(m.Target)) Put(m); continue; }
            if (!own.Add(m.Target)) throw new LabException(ErrorKind.InvalidParameter, $"Duplicate mount point: {m.Target}");
            if (m.Type == ContainerMount.Bind && !m.CreateSource) RequireSource(machine, m.Source);
            Put(m);
        }

        var resolved = new List<ContainerMount>();
        foreach (var target in order)
        {
            var m = byTarget[target];
            if (m.Type == ContainerMount.Volume)
            {
                bool anonymous = m.Source.Length == 0;
                var volume = await CreateAsync(machine, anonymous ? null : m.Source, m.VolumeDriver, m.VolumeLabels,
                    m.VolumeDriverOptions, anonymous, ct);
                m = m with { Source = volume.Name, Anonymous = anonymous || m.Anonymous };
            }
            resolved.Add(m);
        }
        return spec with { Mounts = resolved };
    }

    // dockerd copies the source container's mount points with their mode, made read-only by ":ro".
    private IEnumerable<ContainerMount> VolumesFrom(string machine, string spec)
    {
        if (spec.Length == 0) throw new LabException(ErrorKind.InvalidParameter, "volumes-from specification cannot be an empty string");
        var colon = spec.IndexOf(':');
        var (id, mode) = colon < 0 ? (spec, "rw") : (spec[..colon], spec[(colon + 1)..]);
        if (mode is not ("rw" or "ro")) throw new LabException(ErrorKind.InvalidParameter, $"invalid mode: {mode}");
        var source = _containers.Get(machine, id);
        return source.Spec.Mounts.Where(m => m.Type != ContainerMount.Tmpfs)
            .Select(m => m with { ReadOnly = m.ReadOnly || mode == "ro", Origin = "volumes-from", CreateSource = false, Mode = "" });
    }

    // A bind's source must exist (--mount; -v creates it): looked up inside the machine's root, as lab-init will.
    private void RequireSource(string machine, string source)
    {
        int pid = Machines.InitPidOf(machine);
        using var root = ResolveInRoot.OpenRoot($"/proc/{pid}/root");
        using var found = ResolveInRoot.OpenPath(root, source);
        if (found is null)
            throw new LabException(ErrorKind.InvalidParameter,
                $"invalid mount config for type \"bind\": bind source path does not exist: {source}");
    }

    /// <summary>path.Clean of an absolute container path.</summary>
    public static string CleanTarget(string path) => ContainerPaths.Clean(path);
}
