using Lab.Engine.Build.Context;
using Lab.Engine.Build.Parsing;

namespace Lab.Engine.Build.Steps;

/// <summary>WORKDIR (moby dispatchWorkdir): the path, relative to the previous WORKDIR, becomes the config's
/// working directory, and a layer creates it (with missing parents, 0755 root) when the image does not have it;
/// dockerd commits that step's container, so history shows a layer (<c>/bin/sh -c #(nop) WORKDIR /app</c>).</summary>
public static class WorkdirStep
{
    public static async Task RunAsync(Builder builder, StageState stage, Instruction i, char escape, CancellationToken ct)
    {
        var path = Apply(stage, i, escape);
        var cmd = StepImages.NopCmdString(stage, "WORKDIR " + path);
        var createdBy = string.Join(' ', cmd);
        var key = BuildCache.Key(stage.Image, createdBy, stage.Config);
        if (StepImages.TryCache(builder, stage, key)) return;

        await StepImages.NopContainerAsync(builder, stage, cmd, ct);
        var image = stage.Image is null ? null : new SourceTree(await builder.Job.Store.LayerDirectoriesAsync(stage.Image, ct));
        var layer = new LayerTar();
        var relative = path.TrimStart('/');
        if (relative.Length > 0 && image?.Resolve(relative) is null)
        {
            layer.Add(relative, new LayerTar.DirEntry((UnixFileMode)0x1ED, 0, 0, DateTimeOffset.UtcNow));
            layer.AddParents(relative, p => image?.Resolve(p) is not null, 0, 0);
        }
        using var tar = new MemoryStream();
        await layer.WriteAsync(tar, ct);
        tar.Position = 0;
        await StepImages.CommitAsync(builder, stage, key, createdBy, tar, ct);
    }

    /// <summary>The new working directory in the stage's config (also what <c>docker commit --change</c> does).</summary>
    public static string Apply(StageState stage, Instruction i, char escape)
    {
        var words = new ShellWords(stage.ExpansionEnv, escape);
        var dir = Builder.Expand(() => words.ProcessWord(i.Args[0]), i);
        var current = stage.Config.WorkingDir is { Length: > 0 } w ? w : "/";
        var path = DockerIgnore.CleanPath(dir.StartsWith('/') ? dir : current.TrimEnd('/') + "/" + dir);
        stage.Config = stage.Config with { WorkingDir = path };
        return path;
    }
}
