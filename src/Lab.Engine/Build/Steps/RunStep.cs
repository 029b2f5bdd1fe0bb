using System.Text;
using Lab.Engine.Build.Parsing;
using Lab.Runtime;
using Lab.Runtime.Containers;

namespace Lab.Engine.Build.Steps;

/// <summary>RUN (moby dispatchRun): a container of the stage's image runs the command in the machine (its quotas,
/// no network unless the build asked for one), its output goes into the build stream, and its writable layer
/// becomes the step's layer. The cache key and history line are the command with the build args in front
/// (<c>|1 V=2 /bin/sh -c make</c>) when the stage declared any with a value; they are in the RUN's environment too.
/// A non-zero exit stops the build with dockerd's message and that exit code; the container is left for
/// inspection unless --force-rm, as dockerd leaves it.</summary>
public static class RunStep
{
    public static async Task RunAsync(Builder builder, StageState stage, Instruction i, CancellationToken ct)
    {
        if (stage.Image is null)
            throw new LabException(ErrorKind.InvalidParameter, "Please provide a source image with `from` prior to run");
        var command = i.IsJson ? [.. i.Args] : new List<string>([.. stage.Shell, i.Args[0]]);
        var buildArgs = stage.BuildArgEnv;
        IReadOnlyList<string> recorded = buildArgs.Count == 0 ? command : [$"|{buildArgs.Count}", .. buildArgs, .. command];
        var createdBy = string.Join(' ', recorded);
        var key = BuildCache.Key(stage.Image, createdBy, stage.Config);
        if (StepImages.TryCache(builder, stage, key)) return;

        var job = builder.Job;
        var spec = StepImages.SpecOf(stage, command, job.Options.NetworkMode) with { Env = [.. stage.Env, .. buildArgs] };
        var container = await StepImages.CreateContainerAsync(builder, stage.Image, spec, ct);
        job.Output.Text($" ---> Running in {container.Id[..12]}\n");
        var failed = true;
        try
        {
            var exitCode = await RunAttachedAsync(job, container.Id, ct);
            if (exitCode != 0)
                throw new BuildStepFailed($"The command '{string.Join(' ', command)}' returned a non-zero code: {exitCode}", exitCode);
            var layer = Path.Combine(job.WorkDir, "layer-" + container.Id[..12] + ".tar");
            try
            {
                await using (var file = File.Create(layer))
                    await job.Containers.WriteDiffLayerAsync(job.Machine, container.Id, file, ct);
                await using (var file = File.OpenRead(layer))
                    await StepImages.CommitAsync(builder, stage, key, createdBy, file, ct);
            }
            finally
            {
                File.Delete(layer);
            }
            failed = false;
        }
        finally
        {
            if (job.Options.ForceRemove || (job.Options.Remove && !failed))
                await StepImages.RemoveAsync(builder, container.Id, CancellationToken.None);
        }
    }

    /// <summary>Starts the container with its output attached from the first byte and returns its exit code.</summary>
    static async Task<int> RunAttachedAsync(BuildJob job, string id, CancellationToken ct)
    {
        var decoders = new Dictionary<LogStream, Decoder>
        {
            [LogStream.Stdout] = new UTF8Encoding(false).GetDecoder(),
            [LogStream.Stderr] = new UTF8Encoding(false).GetDecoder(),
        };
        void Deliver(LogEntry entry)
        {
            lock (decoders)
            {
                if (!decoders.TryGetValue(entry.Stream, out var decoder)) return;
                var chars = new char[decoder.GetCharCount(entry.Data, 0, entry.Data.Length)];
                decoder.GetChars(entry.Data, 0, entry.Data.Length, chars, 0);
                if (chars.Length > 0) job.Output.Text(new string(chars));
            }
        }
        using var attachment = job.Containers.Attach(job.Machine, id, Deliver);
        await job.Containers.StartAsync(job.Machine, id, ct);
        var code = await attachment.Exited.WaitAsync(ct);
        await job.Containers.WaitAsync(job.Machine, id, ct: ct);
        return code;
    }
}

/// <summary>A step that failed the way dockerd reports with a code (the CLI exits with it).</summary>
public sealed class BuildStepFailed(string message, int code) : Exception(message)
{
    public int Code { get; } = code;
}
