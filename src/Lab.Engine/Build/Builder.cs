using Lab.Engine.Build.Context;
using Lab.Engine.Build.Parsing;
using Lab.Engine.Build.Steps;
using Lab.Engine.Images;
using Lab.Engine.Registry.Client;
using Lab.Runtime;
using Lab.Runtime.Containers;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Build;

/// <summary>dockerd's classic builder (builder/dockerfile) for one build in one machine: runs the plan's
/// stages step by step, printing "Step N/M : …" and " ---> &lt;id&gt;" after each, reusing cached images, and
/// returns the last stage's image. Every step makes an image (a layer for RUN/COPY/ADD/WORKDIR, config only for
/// the others); those images stay in the shared content store, found again through <see cref="BuildCache"/>.</summary>
public sealed class Builder(BuildJob job)
{
    readonly List<StageState> _stages = [];
    readonly HashSet<string> _usedArgs = new(StringComparer.Ordinal);
    int _step;
    StageState? _meta;

    /// <summary>The value of an ARG declared before the first FROM, which a stage's ARG without default takes.</summary>
    public string? MetaArg(string name) =>
        _meta?.Args.LastOrDefault(a => a.Key == name) is { Key: not null } found ? found.Value : null;

    public BuildJob Job => job;

    public async Task<LocalImage> RunAsync(BuildPlan plan, CancellationToken ct)
    {
        var meta = new StageState(null);
        foreach (var arg in plan.MetaArgs)
        {
            PrintStep(arg);
            MetadataSteps.DeclareArgs(this, meta, arg, plan.Escape);
        }
        foreach (var stagePlan in plan.Stages)
        {
            var stage = new StageState(stagePlan.Name);
            PrintStep(stagePlan.From);
            await FromAsync(stage, meta, stagePlan.From, plan.Escape, ct);
            job.Output.Text($" ---> {stage.ShortId}\n");
            await RunOnBuildTriggersAsync(stage, ct);
            foreach (var instruction in stagePlan.Commands)
            {
                PrintStep(instruction);
                await DispatchAsync(stage, instruction, plan.Escape, ct);
                job.Output.Text($" ---> {stage.ShortId}\n");
            }
            _stages.Add(stage);
        }
        var last = _stages[^1];
        var unused = job.Options.BuildArgs.Keys.Where(k => !_usedArgs.Contains(k) && !PredefinedArgs.Contains(k)).Order().ToList();
        if (unused.Count > 0)
            job.Output.Text($"[Warning] One or more build-args [{string.Join(' ', unused)}] were not consumed\n");
        if (last.Image is null)
            throw new LabException(ErrorKind.InvalidParameter, "No image was generated. Is your Dockerfile empty?");
        return last.Image;
    }

    /// <summary>The proxy variables dockerd lets through without an ARG (builder/dockerfile/buildargs.go).</summary>
    static readonly HashSet<string> PredefinedArgs =
    [
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy",
        "ALL_PROXY", "all_proxy",
    ];

    /// <summary>The value the client gave for a build arg, marking it used.</summary>
    public bool TryGetBuildArg(string name, out string? value)
    {
        if (job.Options.BuildArgs.TryGetValue(name, out value))
        {
            _usedArgs.Add(name);
            return true;
        }
        return false;
    }

    void PrintStep(Instruction instruction) =>
        job.Output.Text($"Step {++_step}/{job.Plan.Total} : {instruction.Original}\n");

    public Task DispatchAsync(StageState stage, Instruction instruction, char escape, CancellationToken ct) =>
        instruction.Keyword switch
        {
            "RUN" => RunStep.RunAsync(this, stage, instruction, ct),
            "COPY" or "ADD" => CopyStep.RunAsync(this, stage, instruction, escape, ct),
            "WORKDIR" => WorkdirStep.RunAsync(this, stage, instruction, escape, ct),
            _ => MetadataSteps.RunAsync(this, stage, instruction, escape, ct),
        };

    async Task FromAsync(StageState stage, StageState meta, Instruction from, char escape, CancellationToken ct)
    {
        var name = Expand(() => new ShellWords(meta.ExpansionEnv, escape).ProcessWord(from.Args[0]), from);
        _meta = meta;
        if (name.Equals("scratch", StringComparison.OrdinalIgnoreCase)) return;
        var previous = _stages.LastOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
        var image = previous?.Image ?? await FindImageAsync(name, job.Options.Pull, ct);
        stage.Image = image;
        stage.Config = image.Config.Config ?? new ContainerConfig();
    }

    /// <summary>An image by name or id in the machine, pulled from its registry (the classroom registry for
    /// docker.io) when missing or when <c>--pull</c> asks, as dockerd's FROM does.</summary>
    public async Task<LocalImage> FindImageAsync(string name, bool pull, CancellationToken ct)
    {
        var images = job.Images;
        if (!pull && ByName(name) is { } named) return named;
        var found = pull ? null : images.Find(name);
        if (found is null)
        {
            if (!Reference.TryParse(name, out var reference))
                throw new LabException(ErrorKind.InvalidParameter, $"invalid reference format: {name}");
            try
            {
                await job.Pulls.Client().PullAsync(reference!.WithDefaultTag(), images.Store, images.Names,
                    new OutputProgress(job.Output), ct: ct);
            }
            catch (Exception e) when (e is LabException or HttpRequestException)
            {
                if (images.Find(name) is null)
                    throw new LabException(ErrorKind.NotFound,
                        $"pull access denied for {reference!.FamiliarName}, repository does not exist or may require 'docker login': {e.Message}");
            }
            found = images.Find(name) ?? throw MachineImages.NoSuchImage(name);
        }
        return new LocalImage(found.Id, found.ManifestDescriptor, found.Manifest, found.Config, []);
    }

    /// <summary>The image a name of the machine points to, read straight from the store: the usual FROM, and far
    /// cheaper than a lookup through the machine's whole image list. Null for anything else (an id, a missing
    /// name), which <see cref="FindImageAsync"/> then looks up the general way.</summary>
    LocalImage? ByName(string name)
    {
        if (!Reference.TryParse(name, out var reference) || job.Images.Names.Resolve(reference!) is not { } target)
            return null;
        try
        {
            var reader = job.Store.Reader;
            var manifestDescriptor = reader.ResolveManifest(target);
            var manifest = reader.ReadManifest(manifestDescriptor);
            return new LocalImage(manifest.Config.Digest, manifestDescriptor, manifest, reader.ReadConfig(manifest.Config), []);
        }
        catch (LabException)
        {
            return null;
        }
    }

    /// <summary>ONBUILD triggers of the FROM image run first, then are dropped from the config.</summary>
    async Task RunOnBuildTriggersAsync(StageState stage, CancellationToken ct)
    {
        var triggers = stage.Extra<List<string>>("OnBuild") ?? [];
        if (triggers.Count == 0) return;
        job.Output.Text($"# Executing {triggers.Count} build trigger{(triggers.Count > 1 ? "s" : "")}\n");
        stage.SetExtra("OnBuild", null);
        foreach (var trigger in triggers)
        {
            var document = DockerfileParser.Parse(trigger);
            foreach (var instruction in document.Instructions)
                await DispatchAsync(stage, instruction, document.Escape, ct);
        }
    }

    /// <summary>The stage named (or numbered) by COPY --from, else an image of the machine.</summary>
    public async Task<LocalImage> FromReferenceAsync(string reference, CancellationToken ct)
    {
        if (int.TryParse(reference, out var index))
            return index >= 0 && index < _stages.Count
                ? _stages[index].Image ?? throw new LabException(ErrorKind.InvalidParameter, $"stage {index} has no files yet")
                : throw new LabException(ErrorKind.InvalidParameter, $"invalid from flag value {reference}: refers to current build stage");
        var stage = _stages.LastOrDefault(s => string.Equals(s.Name, reference, StringComparison.OrdinalIgnoreCase));
        if (stage is not null)
            return stage.Image ?? throw new LabException(ErrorKind.InvalidParameter, $"stage {reference} has no files yet");
        return await FindImageAsync(reference, pull: false, ct);
    }

    /// <summary>Word expansion with the instruction's line in its error, as dockerd reports it.</summary>
    public static T Expand<T>(Func<T> expand, Instruction instruction)
    {
        try
        {
            return expand();
        }
        catch (FormatException e)
        {
            throw new LabException(ErrorKind.InvalidParameter,
                instruction.Line > 0 ? $"dockerfile parse error line {instruction.Line}: {e.Message}" : e.Message);
        }
    }

    /// <summary>Pull progress lines as dockerd puts them in a build's stream.</summary>
    sealed class OutputProgress(BuildOutput output) : IProgress<ProgressEvent>
    {
        public void Report(ProgressEvent value) => output.Raw(JsonProgressWriter.Serialize(value));
    }
}
