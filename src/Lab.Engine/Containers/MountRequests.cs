using System.Text.Json;
using Lab.Engine.Http;
using Lab.Runtime.Containers;
using Lab.Runtime.Volumes;

namespace Lab.Engine.Containers;

/// <summary>HostConfig.Binds, HostConfig.Mounts, HostConfig.Tmpfs and Config.Volumes of a create request, parsed and
/// checked with dockerd's messages (moby volume/mounts/linux_parser.go, validate.go) into <see cref="ContainerMount"/>s.
/// What needs the machine (named volumes, --volumes-from, a bind source's existence) is done by
/// <see cref="VolumeHost.ResolveMountsAsync"/>.</summary>
public static class MountRequests
{
    static readonly HashSet<string> RwModes = ["rw", "ro", "ro-non-recursive", "ro-force-recursive", "rro"];
    static readonly HashSet<string> LabelModes = ["z", "Z"];
    static readonly HashSet<string> PropagationModes = ["private", "rprivate", "slave", "rslave", "shared", "rshared"];
    static readonly HashSet<string> CopyModes = ["nocopy"];
    static readonly HashSet<string> ConsistencyModes = ["consistent", "cached", "delegated", "default"];
    static readonly HashSet<string> TmpfsFlags = ["ro", "rw", "exec", "noexec", "suid", "nosuid", "dev", "nodev"];
    static readonly HashSet<string> TmpfsKeys = ["size", "mode", "uid", "gid", "nr_inodes", "nr_blocks"];

    public static IReadOnlyList<ContainerMount> Parse(CreateRequest request, HostConfigRequest host)
    {
        var mounts = new List<ContainerMount>();
        foreach (var path in request.Volumes?.Keys ?? [])
            mounts.Add(new ContainerMount(ContainerMount.Volume, "", Target(path, $"invalid volume specification: '{path}'")) { Origin = "image" });
        foreach (var bind in host.Binds ?? []) mounts.Add(ParseBind(bind));
        foreach (var element in host.Mounts ?? []) mounts.Add(ParseMount(element));
        foreach (var (target, options) in host.Tmpfs ?? new Dictionary<string, string>()) mounts.Add(ParseTmpfs(target, options));
        return mounts;
    }

    /// <summary>`-v SRC:DST[:MODE]`, `-v NAME:DST`, `-v DST` (ParseMountRaw).</summary>
    public static ContainerMount ParseBind(string raw)
    {
        var invalid = $"invalid volume specification: '{raw}'";
        var parts = raw.Split(':', 4);
        if (parts[0].Length == 0 || parts.Length == 4) throw EngineErrors.InvalidParameter(invalid);
        string source = "", target, mode = "";
        switch (parts.Length)
        {
            case 1: target = parts[0]; break;
            case 2:
                if (ValidMode(parts[1])) throw EngineErrors.InvalidParameter(invalid); // "/foo:rw": a volume has no mode alone
                (source, target) = (parts[0], parts[1]);
                break;
            default: (source, target, mode) = (parts[0], parts[1], parts[2]); break;
        }
        if (!ValidMode(mode)) throw EngineErrors.InvalidParameter($"invalid mode: {mode}");
        var options = mode.Split(',', StringSplitOptions.RemoveEmptyEntries);
        target = Target(target, invalid);
        bool readOnly = options.Contains("ro") || options.Contains("rro") || options.Contains("ro-non-recursive") || options.Contains("ro-force-recursive");
        if (source.StartsWith('/'))
            return new ContainerMount(ContainerMount.Bind, VolumeHost.CleanTarget(source), target)
            { ReadOnly = readOnly, CreateSource = true, Mode = mode, Origin = "bind" };
        if (source.Length > 0 && !VolumeNames.IsValid(source))
            throw EngineErrors.InvalidParameter(
                $"create {source}: \"{source}\" includes invalid characters for a local volume name, only \"{VolumeNames.RestrictedChars}\" are allowed. If you intended to pass a host directory, use absolute path");
        return new ContainerMount(ContainerMount.Volume, source, target)
        {
            ReadOnly = readOnly, NoCopy = options.Contains("nocopy"), Origin = "bind",
            Mode = mode.Length == 0 ? "z" : mode, // dockerd's setBindModeIfNull
        };
    }

    static bool ValidMode(string mode)
    {
        if (mode.Length == 0) return true;
        int rw = 0, label = 0, propagation = 0, copy = 0, consistency = 0;
        foreach (var o in mode.Split(','))
        {
            if (RwModes.Contains(o)) rw++;
            else if (LabelModes.Contains(o)) label++;
            else if (PropagationModes.Contains(o)) propagation++;
            else if (CopyModes.Contains(o)) copy++;
            else if (ConsistencyModes.Contains(o)) consistency++;
            else return false;
        }
        return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1 && consistency <= 1;
    }

    static string Target(string target, string prefix)
    {
        if (!target.StartsWith('/')) throw EngineErrors.InvalidParameter($"{prefix}: invalid mount path: '{target}' mount path must be absolute");
        var clean = VolumeHost.CleanTarget(target);
        if (clean == "/") throw EngineErrors.InvalidParameter($"{prefix}: invalid specification: destination can't be '/'");
        return clean;
    }

    /// <summary>One HostConfig.Mounts entry (`--mount type=...`; api/types/mount.Mount), validated as
    /// validateMountConfigImpl does.</summary>
    public static ContainerMount ParseMount(JsonElement element)
    {
        MountRequest m;
        try { m = element.Deserialize<MountRequest>(CreateRequest.Json) ?? throw new JsonException("null mount"); }
        catch (JsonException e) { throw EngineErrors.InvalidParameter($"invalid JSON: {e.Message}"); }
        var type = m.Type ?? "";
        string Error(string what) => $"invalid mount config for type \"{type}\": {what}";
        if (string.IsNullOrEmpty(m.Target)) throw EngineErrors.InvalidParameter(Error("field Target must not be empty"));
        if (!m.Target.StartsWith('/')) throw EngineErrors.InvalidParameter(Error($"invalid mount path: '{m.Target}' mount path must be absolute"));
        var target = VolumeHost.CleanTarget(m.Target);
        if (target == "/") throw EngineErrors.InvalidParameter(Error("invalid specification: destination can't be '/'"));
        var source = m.Source ?? "";
        switch (type)
        {
            case ContainerMount.Bind:
                if (source.Length == 0) throw EngineErrors.InvalidParameter(Error("field Source must not be empty"));
                if (m.BindOptions?.Propagation is { Length: > 0 } p && !PropagationModes.Contains(p))
                    throw EngineErrors.InvalidParameter(Error($"invalid propagation mode: {p}"));
                if (m.VolumeOptions is not null) throw EngineErrors.InvalidParameter(Error("field VolumeOptions must not be specified"));
                if (!source.StartsWith('/')) throw EngineErrors.InvalidParameter(Error($"invalid mount path: '{source}' mount path must be absolute"));
                return new ContainerMount(ContainerMount.Bind, VolumeHost.CleanTarget(source), target)
                { ReadOnly = m.ReadOnly, CreateSource = m.BindOptions?.CreateMountpoint == true };
            case ContainerMount.Volume:
                if (m.BindOptions is not null) throw EngineErrors.InvalidParameter(Error("field BindOptions must not be specified"));
                if (m.ReadOnly && source.Length == 0) throw EngineErrors.InvalidParameter(Error("must not set ReadOnly mode when using anonymous volumes"));
                if (m.VolumeOptions?.Subpath is { Length: > 0 })
                    throw EngineErrors.InvalidParameter(Error("volume-subpath is not supported by the lab machine's engine"));
                if (source.Length > 0) VolumeNames.Validate(source);
                return new ContainerMount(ContainerMount.Volume, source, target)
                {
                    ReadOnly = m.ReadOnly, NoCopy = m.VolumeOptions?.NoCopy == true, Mode = "z", // as dockerd shows them
                    VolumeDriver = m.VolumeOptions?.DriverConfig?.Name, VolumeLabels = m.VolumeOptions?.Labels,
                    VolumeDriverOptions = m.VolumeOptions?.DriverConfig?.Options,
                };
            case ContainerMount.Tmpfs:
                if (m.BindOptions is not null) throw EngineErrors.InvalidParameter(Error("field BindOptions must not be specified"));
                if (source.Length > 0) throw EngineErrors.InvalidParameter(Error("field Source must not be specified"));
                var extra = new List<string>();
                foreach (var option in m.TmpfsOptions?.Options ?? [])
                {
                    if (option.Count is < 1 or > 2) throw EngineErrors.InvalidParameter(Error("invalid option array length"));
                    if (option[0] is not ("exec" or "noexec")) throw EngineErrors.InvalidParameter(Error("invalid option: " + option[0]));
                    extra.Add(option.Count == 1 ? option[0] : $"{option[0]}={option[1]}");
                }
                if (m.TmpfsOptions?.SizeBytes < 0) throw EngineErrors.InvalidParameter(Error("invalid tmpfs size"));
                return new ContainerMount(ContainerMount.Tmpfs, "", target)
                {
                    ReadOnly = m.ReadOnly, TmpfsSize = m.TmpfsOptions?.SizeBytes ?? 0,
                    TmpfsMode = m.TmpfsOptions?.Mode is > 0 ? m.TmpfsOptions.Mode : null, TmpfsOptions = extra,
                };
            case "image" or "npipe" or "cluster":
                throw EngineErrors.InvalidParameter(Error("this mount type is not supported in a lab machine"));
            default:
                throw EngineErrors.InvalidParameter(Error("mount type unknown"));
        }
    }

    /// <summary>`--tmpfs DST[:OPTIONS]` (HostConfig.Tmpfs): mount options as tmpfs(5) takes them.</summary>
    public static ContainerMount ParseTmpfs(string target, string options)
    {
        if (!target.StartsWith('/')) throw EngineErrors.InvalidParameter($"invalid mount path: '{target}' mount path must be absolute");
        var clean = VolumeHost.CleanTarget(target);
        if (clean == "/") throw EngineErrors.InvalidParameter("invalid specification: destination can't be '/'");
        var list = new List<string>();
        foreach (var option in (options ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = option.IndexOf('=');
            var ok = eq < 0 ? TmpfsFlags.Contains(option) : TmpfsKeys.Contains(option[..eq]) && eq < option.Length - 1;
            if (!ok) throw EngineErrors.InvalidParameter($"invalid tmpfs option \"{option}\" for {clean}");
            list.Add(option);
        }
        return new ContainerMount(ContainerMount.Tmpfs, "", clean) { TmpfsOptions = list, Origin = "tmpfs", Mode = options ?? "" };
    }
}

/// <summary>api/types/mount.Mount as a request carries it.</summary>
public sealed record MountRequest
{
    public string? Type { get; init; }
    public string? Source { get; init; }
    public string? Target { get; init; }
    public bool ReadOnly { get; init; }
    public string? Consistency { get; init; }
    public BindOptionsRequest? BindOptions { get; init; }
    public VolumeOptionsRequest? VolumeOptions { get; init; }
    public TmpfsOptionsRequest? TmpfsOptions { get; init; }
}

public sealed record BindOptionsRequest(string? Propagation, bool NonRecursive, bool CreateMountpoint);

public sealed record VolumeOptionsRequest
{
    public bool NoCopy { get; init; }
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
    public DriverRequest? DriverConfig { get; init; }
    public string? Subpath { get; init; }
}

public sealed record DriverRequest(string? Name, IReadOnlyDictionary<string, string>? Options);

public sealed record TmpfsOptionsRequest
{
    public long SizeBytes { get; init; }
    public int Mode { get; init; }
    public IReadOnlyList<IReadOnlyList<string>>? Options { get; init; }
}
