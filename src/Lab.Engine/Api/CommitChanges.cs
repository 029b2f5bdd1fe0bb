using Lab.Engine.Build;
using Lab.Engine.Build.Parsing;
using Lab.Engine.Build.Steps;
using Lab.Engine.Http;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Api;

/// <summary>The Dockerfile instructions `docker commit --change` and `docker import --change` accept, applied in
/// order to a config as dockerd's BuildFromConfig does: the changes are parsed as one Dockerfile by the builder's
/// own parser (continuations, JSON forms, quoting and <c>$VAR</c> expansion are the same as in a build) and each
/// instruction goes through the builder's config step.</summary>
public static class CommitChanges
{
    /// <summary>moby's validCommitCommands.</summary>
    static readonly HashSet<string> Allowed =
        ["CMD", "ENTRYPOINT", "ENV", "EXPOSE", "HEALTHCHECK", "LABEL", "ONBUILD", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"];

    public static ContainerConfig Apply(ContainerConfig config, IEnumerable<string> changes)
    {
        var text = string.Join('\n', changes.Where(c => !string.IsNullOrWhiteSpace(c)));
        if (text.Length == 0) return config;
        var document = DockerfileParser.Parse(text);
        foreach (var instruction in document.Instructions)
            if (!Allowed.Contains(instruction.Keyword))
                throw EngineErrors.InvalidParameter($"{instruction.Keyword} is not a valid change command");
        var stage = new StageState(null) { Config = config };
        foreach (var instruction in document.Instructions)
        {
            if (instruction.Keyword == "WORKDIR") WorkdirStep.Apply(stage, instruction, document.Escape);
            else MetadataSteps.Apply(null, stage, instruction, document.Escape);
        }
        return stage.Config;
    }
}
