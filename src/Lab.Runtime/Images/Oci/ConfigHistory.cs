using System.Text;
using System.Text.Json;

namespace Lab.Runtime.Images.Oci;

/// <summary>The Dockerfile instructions that would give a container config, one per set field, as
/// <c>docker history</c> lines (<c>CMD ["sh"]</c>, <c>EXPOSE 80/tcp</c>, ...). Images made without a Dockerfile
/// (recipe base images) still get a history a student can read and a check can match.</summary>
static class ConfigHistory
{
    public static IEnumerable<string> Describe(ContainerConfig config)
    {
        foreach (var env in config.Env ?? []) yield return $"ENV {env}";
        foreach (var (key, value) in config.Labels ?? new Dictionary<string, string>())
            yield return $"LABEL {key}={JsonSerializer.Serialize(value)}";
        if (config.ExposedPorts is { Count: > 0 } ports) yield return $"EXPOSE {string.Join(' ', ports.Keys.Order(StringComparer.Ordinal))}";
        if (config.Volumes is { Count: > 0 } volumes) yield return $"VOLUME {Json(volumes.Keys.Order(StringComparer.Ordinal))}";
        if (config.WorkingDir is { Length: > 0 } dir) yield return $"WORKDIR {dir}";
        if (config.User is { Length: > 0 } user) yield return $"USER {user}";
        if (config.StopSignal is { Length: > 0 } signal) yield return $"STOPSIGNAL {signal}";
        if (config.Entrypoint is { } entrypoint) yield return $"ENTRYPOINT {Json(entrypoint)}";
        if (config.Cmd is { } cmd) yield return $"CMD {Json(cmd)}";
    }

    static string Json(IEnumerable<string> values) => Encoding.UTF8.GetString(OciJson.Serialize(values.ToArray()));
}
