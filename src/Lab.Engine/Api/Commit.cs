using Lab.Engine.Events;
using Lab.Engine.Http;
using Lab.Engine.Images;
using Lab.Runtime;
using Lab.Runtime.Containers;
using Lab.Runtime.Images.Oci;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>POST /commit?container=&amp;repo=&amp;tag=&amp;comment=&amp;author=&amp;pause=&amp;changes=</c> (docker
/// commit): the container's writable layer becomes a new layer on its image, with the container's config (the body's
/// fields override it, as dockerd merges them) and the --change instructions applied. A running container is frozen
/// meanwhile unless pause=false. Answers 201 {"Id": "sha256:…"}.</summary>
public static class Commit
{
    public static async Task<IResult> Handle(Caller caller, ContainerHost containers, ImageCatalog catalog, EngineEvents events,
        HttpContext context)
    {
        var query = context.Request.Query;
        var ct = context.RequestAborted;
        var record = containers.Get(caller.Machine, query["container"].ToString());
        var name = RepoTag.Parse(query["repo"], query["tag"]);
        var images = catalog.For(caller.Machine);
        var parent = images.Find(record.ImageId)
            ?? throw EngineErrors.NotFound($"No such image: {record.ImageId} (the image of container {record.Name} was removed)");
        var overrides = await ReadOverridesAsync(context);
        var config = CommitChanges.Apply(Merge(overrides, ConfigOf(record, parent)), query["changes"].Select(c => c ?? ""));

        var pause = !query.ContainsKey("pause") || QueryBool.Get(context, "pause");
        bool paused = false;
        var temp = Path.Combine(Path.GetTempPath(), $"lab-commit-{Guid.NewGuid():N}.tar");
        try
        {
            if (pause && record.State.Running && !record.State.Paused)
            {
                await containers.PauseAsync(caller.Machine, record.Id, ct);
                paused = true;
            }
            await using var layer = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
            await containers.WriteDiffLayerAsync(caller.Machine, record.Id, layer, ct);
            if (paused)
            {
                await containers.UnpauseAsync(caller.Machine, record.Id, CancellationToken.None);
                paused = false;
            }
            layer.Position = 0;
            var history = new HistoryEntry
            {
                CreatedBy = string.Join(' ', record.Config.Cmd),
                Comment = NullIfEmpty(query["comment"]),
                Author = NullIfEmpty(query["author"]),
            };
            var image = await containers.Images.CreateChildAsync(parent.ToLocalImage(), IsEmptyTar(layer) ? null : layer, config, history, ct);
            var registered = await images.RegisterAsync(image, name, ct, parent: parent.Id);
            // dockerd: the new name's "tag" image event, then the container's "commit" event.
            var imageRef = name?.WithDefaultTag().FamiliarString ?? "";
            if (name is not null) events.Image(caller.Machine, "tag", registered.Id.ToString(), imageRef, registered.Labels);
            events.Container(record, "commit", ("comment", query["comment"].ToString()),
                ("imageID", registered.Id.ToString()), ("imageRef", imageRef));
            return EngineJson.Result(new { Id = registered.Id.ToString() }, StatusCodes.Status201Created);
        }
        finally
        {
            if (paused) await containers.UnpauseAsync(caller.Machine, record.Id, CancellationToken.None);
        }
    }

    static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>A tar with no entry (two zero blocks): a container that changed nothing adds no layer.</summary>
    static bool IsEmptyTar(Stream layer)
    {
        var header = new byte[512];
        var n = layer.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        layer.Position = 0;
        return n < header.Length || header.All(b => b == 0);
    }

    static async Task<ContainerConfig?> ReadOverridesAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var text = System.Text.Encoding.UTF8.GetString(body.ToArray()).Trim();
        if (text.Length == 0 || text == "null") return null;
        return OciJson.Deserialize<ContainerConfig>(body.ToArray(), "the container config of the request");
    }

    /// <summary>The container's effective config as an image config, with what the image had beyond it
    /// (Healthcheck, OnBuild, Shell) kept.</summary>
    static ContainerConfig ConfigOf(ContainerRecord record, EngineImage parent)
    {
        var c = record.Config;
        return new ContainerConfig
        {
            User = c.User,
            ExposedPorts = c.ExposedPorts.Count == 0 ? null : c.ExposedPorts.ToDictionary(p => p, _ => EmptyObject.Value),
            Env = c.Env,
            Entrypoint = c.Entrypoint.Count == 0 ? null : c.Entrypoint,
            Cmd = c.Cmd.Count == 0 ? null : c.Cmd,
            Volumes = c.Volumes.Count == 0 ? null : c.Volumes.ToDictionary(v => v, _ => EmptyObject.Value),
            WorkingDir = c.WorkingDir,
            Labels = c.Labels.Count == 0 ? null : c.Labels,
            StopSignal = string.IsNullOrEmpty(c.StopSignal) ? null : c.StopSignal,
            Extra = parent.Config.Config?.Extra,
        };
    }

    /// <summary>dockerd's commit merge: what the request sets wins; what it leaves empty comes from the container.</summary>
    static ContainerConfig Merge(ContainerConfig? user, ContainerConfig container)
    {
        if (user is null) return container;
        var env = user.Env is { Count: > 0 } userEnv
            ? [.. userEnv, .. (container.Env ?? []).Where(e => !userEnv.Any(u => u.Split('=')[0] == e.Split('=')[0]))]
            : container.Env;
        var labels = new Dictionary<string, string>(container.Labels ?? new Dictionary<string, string>());
        foreach (var (k, v) in user.Labels ?? new Dictionary<string, string>()) labels[k] = v;
        var useContainerCommand = user.Entrypoint is not { Count: > 0 };
        return container with
        {
            User = string.IsNullOrEmpty(user.User) ? container.User : user.User,
            ExposedPorts = Union(user.ExposedPorts, container.ExposedPorts),
            Env = env,
            Labels = labels.Count == 0 ? null : labels,
            Cmd = useContainerCommand && user.Cmd is not { Count: > 0 } ? container.Cmd : user.Cmd,
            Entrypoint = useContainerCommand && user.Entrypoint is null ? container.Entrypoint : user.Entrypoint,
            WorkingDir = string.IsNullOrEmpty(user.WorkingDir) ? container.WorkingDir : user.WorkingDir,
            Volumes = Union(user.Volumes, container.Volumes),
            StopSignal = string.IsNullOrEmpty(user.StopSignal) ? container.StopSignal : user.StopSignal,
        };
    }

    static IReadOnlyDictionary<string, EmptyObject>? Union(IReadOnlyDictionary<string, EmptyObject>? a, IReadOnlyDictionary<string, EmptyObject>? b)
    {
        if (a is not { Count: > 0 }) return b;
        var all = new Dictionary<string, EmptyObject>(a);
        foreach (var key in b?.Keys ?? []) all[key] = EmptyObject.Value;
        return all;
    }
}
