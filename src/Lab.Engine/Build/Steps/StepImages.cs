using Lab.Engine.Images;
using Lab.Runtime.Containers;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Build.Steps;

/// <summary>What every step does around its own work: look for a cached result, commit the new image (and
/// remember it in the cache and in the machine), and create the step's container from the image's id.</summary>
public static class StepImages
{
    /// <summary>" ---> Using cache" and the cached image, unless --no-cache or the machine no longer has it.</summary>
    public static bool TryCache(Builder builder, StageState stage, string key)
    {
        if (builder.Job.Options.NoCache || builder.Job.Cache.Find(key) is not { } cached) return false;
        // dockerd's cache is its images: a step image the machine no longer has (rmi took it) is a miss.
        if (!builder.Job.Images.Parents.Has(cached.Id)) return false;
        builder.Job.Output.Text(" ---> Using cache\n");
        stage.Image = cached;
        stage.Config = cached.Config.Config ?? new ContainerConfig();
        return true;
    }

    /// <summary>The step's image: the stage's image plus <paramref name="layer"/> (null: config only), with the
    /// stage's config and a history line; it becomes the stage's image and the cache's answer for
    /// <paramref name="key"/>.</summary>
    public static async Task CommitAsync(Builder builder, StageState stage, string key, string createdBy,
        Stream? layer, CancellationToken ct)
    {
        // A step that changed nothing still has a layer, as in dockerd: an empty tar (its two zero blocks; a
        // writer with no entries writes no bytes at all).
        if (layer is { CanSeek: true, Length: 0 }) layer = new MemoryStream(new byte[1024]);
        var image = await builder.Job.Store.CreateChildAsync(stage.Image, layer, stage.Config,
            new HistoryEntry { CreatedBy = createdBy, Comment = null }, ct);
        // A cached step keeps its layer: the machine pays for it before the cache (and the machine) holds it.
        await builder.Job.Images.Names.Charge.CommitAsync(builder.Job.Machine, [image.Target],
            () => builder.Job.Cache.SaveAsync(key, image, ct), ct);
        await KeepAsync(builder.Job.Images, image, stage.Image, ct);
        stage.Image = image;
    }

    /// <summary>Makes a step's image an image of the machine, untagged, with the image it was built on as its
    /// parent, as dockerd's classic builder leaves each step: <c>docker images -a</c> lists it, <c>docker
    /// history</c> shows its id, and the next step's container is created from its id.</summary>
    static Task KeepAsync(MachineImages images, LocalImage image, LocalImage? parent, CancellationToken ct) =>
        images.ChangeAsync(() =>
        {
            images.Parents.Set(image.Id, parent?.Id);
            if (images.Names.List().All(n => n.Target.Digest != image.Target.Digest))
                images.Dangling.Add(image.Target);
            return Task.FromResult(true);
        }, ct);

    /// <summary>A container of the step's image, created from its id (the image is one of the machine's, with a
    /// name or as a step's untagged image), so <c>docker ps -a</c> shows that id for it, as for dockerd's.</summary>
    public static Task<ContainerRecord> CreateContainerAsync(Builder builder, LocalImage image,
        ContainerSpec spec, CancellationToken ct) =>
        builder.Job.Containers.CreateAsync(builder.Job.Machine, spec with { Image = image.Id.ToString() }, ct);

    /// <summary>" ---> Running in …" for a step that changes only the config: dockerd makes a container for it
    /// too (never started) and removes it, so the output and the machine's events are the same.</summary>
    public static async Task NopContainerAsync(Builder builder, StageState stage, IReadOnlyList<string> cmd, CancellationToken ct)
    {
        if (stage.Image is null) return; // FROM scratch: nothing to make a container of yet
        var container = await CreateContainerAsync(builder, stage.Image, SpecOf(stage, cmd, "none"), ct);
        builder.Job.Output.Text($" ---> Running in {container.Id[..12]}\n");
        await RemoveAsync(builder, container.Id, ct);
    }

    public static ContainerSpec SpecOf(StageState stage, IReadOnlyList<string> cmd, string network) => new()
    {
        Image = "",
        Cmd = cmd,
        Entrypoint = [],
        Env = stage.Env,
        User = stage.Config.User ?? "",
        WorkingDir = stage.Config.WorkingDir ?? "",
        NetworkMode = network,
        Labels = new Dictionary<string, string>(),
    };

    public static async Task RemoveAsync(Builder builder, string id, CancellationToken ct)
    {
        await builder.Job.Containers.RemoveAsync(builder.Job.Machine, id, force: true, ct);
        builder.Job.Output.Text($" ---> Removed intermediate container {id[..12]}\n");
    }

    /// <summary>"/bin/sh -c #(nop)  CMD [\"x\"]": how dockerd records a config-only step (two spaces: the
    /// comment is a separate word).</summary>
    public static IReadOnlyList<string> NopCmd(StageState stage, string comment) => [.. stage.Shell, "#(nop) ", comment];

    /// <summary>"/bin/sh -c #(nop) COPY file:… in /app ": one word, one space (withCmdCommentString).</summary>
    public static IReadOnlyList<string> NopCmdString(StageState stage, string comment) => [.. stage.Shell, "#(nop) " + comment];
}
