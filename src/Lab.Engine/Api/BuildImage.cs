using Lab.Engine.Build;
using Lab.Engine.Build.Context;
using Lab.Engine.Build.Parsing;
using Lab.Engine.Build.Steps;
using Lab.Engine.Events;
using Lab.Engine.Http;
using Lab.Engine.Images;
using Lab.Runtime;
using Lab.Runtime.Containers;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Machines;

namespace Lab.Engine.Api;

/// <summary><c>POST /build</c>: the classic builder, as dockerd serves it to a CLI without BuildKit. The body is
/// the context tar; the Dockerfile is read and parsed before anything is streamed, so a missing or broken
/// Dockerfile is a plain 400 ("dockerfile parse error line 3: unknown instruction: FOO"); after that the answer
/// is the JSON build stream, and a failing step ends it with an error line.</summary>
public static class BuildImage
{
    public static async Task Handle(HttpContext context)
    {
        var caller = Caller.From(context);
        var services = context.RequestServices;
        var options = BuildOptions.From(context);
        var runtime = services.GetRequiredService<RuntimeOptions>();
        var machines = services.GetRequiredService<IMachineHost>();
        var containers = services.GetRequiredService<ContainerHost>();
        var images = services.GetRequiredService<ImageCatalog>().For(caller.Machine);
        var maxBytes = machines.Find(caller.Machine)?.Limits.DiskBytes ?? new MachineLimits().DiskBytes;
        var workDir = Directory.CreateDirectory(Path.Combine(runtime.DataDir, "engine-state", "builds", Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            using var buildContext = await BuildContext.ReceiveAsync(context.Request.Body, workDir, maxBytes, context.RequestAborted);
            var document = DockerfileParser.Parse(ReadDockerfile(buildContext, options.Dockerfile));
            var plan = BuildPlan.Create(document, options);

            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/json";
            await using var output = new BuildOutput(context.Response.Body, options.Quiet, context.RequestAborted);
            var job = new BuildJob(caller.Machine, options, plan, buildContext, output, images, containers,
                BuildCache.ForMachine(runtime.DataDir, caller.Machine, containers.Images),
                services.GetRequiredService<PullSource>(), workDir);
            try
            {
                var image = await new Builder(job).RunAsync(plan, context.RequestAborted);
                output.AuxId(image.Id.ToString());
                output.Text($"Successfully built {image.Id.Hex[..12]}\n");
                await TagAsync(images, image, options.Tags, output, context.RequestAborted);
                foreach (var tag in options.Tags) // dockerd logs a "tag" event for each -t, even one already there
                    services.GetRequiredService<EngineEvents>().Image(caller.Machine, "tag", image.Id.ToString(),
                        tag.WithDefaultTag().FamiliarString, image.Config.Config?.Labels);
                if (options.Quiet) output.Always(image.Id + "\n");
            }
            catch (BuildStepFailed e)
            {
                ShowKept(output);
                output.Error(e.Message, e.Code);
            }
            catch (LabException e)
            {
                ShowKept(output);
                output.Error(e.Message);
            }
            // The CLI is done once the stream ends: removing the context's files need not keep it waiting.
            await output.DisposeAsync();
            await context.Response.CompleteAsync();
        }
        finally
        {
            try
            {
                Directory.Delete(workDir, recursive: true);
            }
            catch (IOException)
            {
                // already gone
            }
        }
    }

    /// <summary>Names the built image with every -t (none: an untagged image of the machine). A name that
    /// already points to it (an unchanged rebuild) is left as it is: rewriting the machine's names file, fsync
    /// included, was the slowest part of a fully cached build.</summary>
    static async Task TagAsync(MachineImages images, LocalImage image, IReadOnlyList<Reference> tags, BuildOutput output,
        CancellationToken ct)
    {
        if (tags.Count == 0) await images.RegisterAsync(image, null, ct);
        foreach (var tag in tags)
        {
            if (images.Names.Resolve(tag)?.Digest != image.Target.Digest)
                await images.RegisterAsync(image, tag, ct);
            output.Text($"Successfully tagged {tag.FamiliarString}\n");
        }
    }

    /// <summary>A quiet build that fails sends what it kept back before the error, as dockerd does, so the
    /// student sees which step failed.</summary>
    static void ShowKept(BuildOutput output)
    {
        if (output.Quiet && output.Kept.Length > 0) output.Always(output.Kept);
    }

    /// <summary>The Dockerfile named by -f, inside the context (the CLI puts one from elsewhere into the context
    /// under a generated name); then .dockerignore applies to what COPY can see.</summary>
    static string ReadDockerfile(BuildContext context, string name)
    {
        var tree = SourceTree.Directory(context.Root);
        var found = tree.Resolve(DockerIgnore.CleanPath(name.TrimStart('/')));
        if (found is not { Info: FileInfo file })
            throw EngineErrors.InvalidParameter($"Cannot locate specified Dockerfile: {name}");
        var text = File.ReadAllText(file.FullName);
        context.ApplyIgnoreFile();
        return text;
    }
}
