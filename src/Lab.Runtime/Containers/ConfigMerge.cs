using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Containers;

/// <summary>Docker's merge of `docker create` options with the image's config (moby's daemon/create.go and
/// runconfig): a new --entrypoint also drops the image's CMD; env keys from the command line win and come first;
/// labels add up.</summary>
internal static class ConfigMerge
{
    public const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static EffectiveConfig Merge(ContainerSpec spec, ContainerConfig? image, string id)
    {
        var entrypoint = spec.Entrypoint ?? image?.Entrypoint ?? [];
        var cmd = spec.Cmd ?? (spec.Entrypoint is not null ? [] : image?.Cmd ?? []);
        if (entrypoint.Count == 0 && cmd.Count == 0)
            throw new LabException(ErrorKind.InvalidParameter, "No command specified");
        return new EffectiveConfig
        {
            Entrypoint = entrypoint,
            Cmd = cmd,
            Env = UserEnvFirst(spec.Env, image?.Env ?? []),
            WorkingDir = spec.WorkingDir ?? image?.WorkingDir ?? "",
            User = spec.User ?? image?.User ?? "",
            Hostname = string.IsNullOrEmpty(spec.Hostname) ? id[..12] : spec.Hostname,
            Labels = (image?.Labels ?? new Dictionary<string, string>())
                .Concat(spec.Labels).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value),
            ExposedPorts = (image?.ExposedPorts?.Keys ?? []).Union(spec.ExposedPorts).Order(StringComparer.Ordinal).ToList(),
            Volumes = image?.Volumes?.Keys.Order().ToList() ?? [],
            StopSignal = spec.StopSignal ?? image?.StopSignal ?? "SIGTERM",
        };
    }

    /// <summary>moby's merge of the container's env with the image's: the command line's entries as given, then the
    /// image's whose key the command line did not set (the order `docker inspect` shows).</summary>
    private static IReadOnlyList<string> UserEnvFirst(IReadOnlyList<string> user, IReadOnlyList<string> image)
    {
        var keys = user.Select(Key).ToHashSet();
        return [.. user, .. image.Where(e => !keys.Contains(Key(e)))];
    }

    /// <summary>Later entries replace earlier ones with the same key; a bare KEY (no '=') is kept as Docker keeps it.</summary>
    public static IReadOnlyList<string> MergeEnv(IEnumerable<string> first, IEnumerable<string> then)
    {
        var result = new List<string>();
        foreach (var entry in first.Concat(then))
        {
            var key = Key(entry);
            int existing = result.FindIndex(e => Key(e) == key);
            if (existing >= 0) result[existing] = entry;
            else result.Add(entry);
        }
        return result;
    }

    /// <summary>The environment PID 1 gets: what dockerd adds (PATH if missing, HOSTNAME, TERM for a tty), then the
    /// container's own.</summary>
    public static IReadOnlyList<string> ProcessEnv(EffectiveConfig config, bool tty)
    {
        var daemon = new List<string> { DefaultPath, "HOSTNAME=" + config.Hostname };
        if (tty) daemon.Add("TERM=xterm");
        return MergeEnv(daemon, config.Env);
    }

    private static string Key(string entry) => entry.Split('=', 2)[0];
}
