using Lab.Engine.Http;
using Lab.Engine.Images;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>GET /images/{name}/json</c>: dockerd's image inspect (api/types/image.InspectResponse), so
/// <c>docker inspect -f '{{.Config.Cmd}}'</c> and friends work.</summary>
public static class ImagesInspect
{
    public static async Task Handle(HttpContext context, string name)
    {
        var caller = Caller.From(context);
        var image = context.RequestServices.GetRequiredService<ImageCatalog>().For(caller.Machine).Get(name);
        await EngineJson.Result(Build(image, caller.Version)).ExecuteAsync(context);
    }

    public static Dictionary<string, object?> Build(EngineImage image, ApiVersion version)
    {
        var config = image.Config;
        var inspect = new Dictionary<string, object?>
        {
            ["Id"] = image.Id.ToString(),
            ["RepoTags"] = image.RepoTags,
            ["RepoDigests"] = image.RepoDigests,
            ["Parent"] = image.Parent?.ToString() ?? "",
            ["Comment"] = config.History?.LastOrDefault()?.Comment ?? "",
            ["Created"] = config.Created?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture) ?? "",
        };
        // Container and ContainerConfig went away in API 1.45.
        if (version < new ApiVersion(1, 45))
        {
            inspect["Container"] = "";
            inspect["ContainerConfig"] = EmptyContainerConfig;
        }
        inspect["DockerVersion"] = config.Extra?.TryGetValue("docker_version", out var dv) == true ? dv.ToString() : "";
        inspect["Author"] = config.Author ?? "";
        inspect["Config"] = config.Config;
        inspect["Architecture"] = config.Architecture;
        if (config.Variant is not null) inspect["Variant"] = config.Variant;
        inspect["Os"] = config.Os;
        if (config.OsVersion is not null) inspect["OsVersion"] = config.OsVersion;
        inspect["Size"] = image.Size;
        if (version < new ApiVersion(1, 44)) inspect["VirtualSize"] = image.Size; // removed in API 1.44
        inspect["GraphDriver"] = new { Data = (object?)null, Name = "overlay2" };
        inspect["RootFS"] = new { Type = config.RootFs.Type, Layers = config.RootFs.DiffIds.Select(d => d.ToString()).ToList() };
        inspect["Metadata"] = new { LastTagTime = "0001-01-01T00:00:00Z" };
        // Descriptor came in API 1.48: the manifest the image is made of.
        if (version >= new ApiVersion(1, 48))
            inspect["Descriptor"] = new Dictionary<string, object>
            {
                ["mediaType"] = image.ManifestDescriptor.MediaType,
                ["digest"] = image.ManifestDescriptor.Digest.ToString(),
                ["size"] = image.ManifestDescriptor.Size,
            };
        return inspect;
    }

    static readonly object EmptyContainerConfig = new
    {
        Hostname = "", Domainname = "", User = "", AttachStdin = false, AttachStdout = false, AttachStderr = false,
        Tty = false, OpenStdin = false, StdinOnce = false, Env = (string[]?)null, Cmd = (string[]?)null,
        Image = "", Volumes = (object?)null, WorkingDir = "", Entrypoint = (string[]?)null, OnBuild = (string[]?)null,
        Labels = (object?)null,
    };
}
