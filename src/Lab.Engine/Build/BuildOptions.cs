using System.Text.Json;
using Lab.Engine.Http;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Build;

/// <summary>What <c>POST /build</c> asks for, from its query (dockerd's newImageBuildOptions): <c>t</c> (several),
/// <c>dockerfile</c>, <c>buildargs</c> and <c>labels</c> (JSON objects), <c>target</c>, <c>nocache</c>,
/// <c>pull</c>, <c>q</c>, <c>rm</c> (default on), <c>forcerm</c>, <c>networkmode</c>.</summary>
public sealed record BuildOptions
{
    public IReadOnlyList<Reference> Tags { get; init; } = [];
    public string Dockerfile { get; init; } = "Dockerfile";
    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = new Dictionary<string, string?>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string? Target { get; init; }
    public bool NoCache { get; init; }
    public bool Pull { get; init; }
    public bool Quiet { get; init; }
    public bool Remove { get; init; } = true;
    public bool ForceRemove { get; init; }

    /// <summary>The RUN containers' network: "none" unless the client asked for another (the CLI sends
    /// "default" when --network is not given; a lab machine has no route out either way).</summary>
    public string NetworkMode { get; init; } = "none";

    public static BuildOptions From(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["version"].ToString() == "2")
            throw EngineErrors.InvalidParameter("BuildKit is not supported by this engine: use the classic builder (DOCKER_BUILDKIT=0)");
        var tags = new List<Reference>();
        foreach (var t in query["t"])
        {
            if (string.IsNullOrEmpty(t)) continue;
            if (!Reference.TryParse(t, out var reference) || reference!.Digest is not null)
                throw EngineErrors.InvalidParameter($"invalid reference format: {t}");
            tags.Add(reference.WithDefaultTag());
        }
        var network = query["networkmode"].ToString();
        return new BuildOptions
        {
            Tags = tags,
            Dockerfile = string.IsNullOrEmpty(query["dockerfile"]) ? "Dockerfile" : query["dockerfile"].ToString(),
            BuildArgs = JsonMap<string?>(query["buildargs"], "buildargs"),
            Labels = JsonMap<string>(query["labels"], "labels"),
            Target = string.IsNullOrEmpty(query["target"]) ? null : query["target"].ToString(),
            NoCache = QueryBool.Get(context, "nocache"),
            Pull = QueryBool.Get(context, "pull"),
            Quiet = QueryBool.Get(context, "q"),
            Remove = string.IsNullOrEmpty(query["rm"]) || QueryBool.Get(context, "rm"),
            ForceRemove = QueryBool.Get(context, "forcerm"),
            NetworkMode = network is "" or "default" ? "none" : network,
        };
    }

    static IReadOnlyDictionary<string, T> JsonMap<T>(string? json, string name)
    {
        if (string.IsNullOrEmpty(json)) return new Dictionary<string, T>();
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, T>>(json) ?? new Dictionary<string, T>();
        }
        catch (JsonException e)
        {
            throw EngineErrors.InvalidParameter($"invalid {name} JSON: {e.Message}");
        }
    }
}
