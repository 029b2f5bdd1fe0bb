using Lab.Engine.Build.Parsing;
using Lab.Engine.Http;

namespace Lab.Engine.Build;

/// <summary>A parsed Dockerfile cut into stages as moby's instructions.Parse does: the ARGs before the first FROM
/// (meta args, usable in FROM lines), then one stage per FROM, up to the <c>--target</c> stage. <see cref="Total"/>
/// is the "M" of "Step N/M": every instruction that will run, meta args included, plus the LABEL step that
/// <c>--label</c> adds at the end, as dockerd appends it.</summary>
public sealed record BuildPlan(IReadOnlyList<Instruction> MetaArgs, IReadOnlyList<BuildStagePlan> Stages, char Escape)
{
    public int Total => MetaArgs.Count + Stages.Sum(s => 1 + s.Commands.Count);

    public static BuildPlan Create(DockerfileDocument document, BuildOptions options)
    {
        var metaArgs = new List<Instruction>();
        var stages = new List<BuildStagePlan>();
        foreach (var instruction in document.Instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                Validate(instruction);
                var name = instruction.Args.Count == 3 ? instruction.Args[2].ToLowerInvariant() : null;
                if (name is not null && stages.Any(s => s.Name == name))
                    throw DockerfileParser.Error(instruction.Line, $"duplicate stage name \"{name}\"");
                stages.Add(new BuildStagePlan(name, instruction, new List<Instruction>()));
            }
            else if (stages.Count == 0)
            {
                if (instruction.Keyword != "ARG")
                    throw DockerfileParser.Error(instruction.Line, "no build stage in current context");
                metaArgs.Add(instruction);
            }
            else
            {
                Validate(instruction);
                ((List<Instruction>)stages[^1].Commands).Add(instruction);
            }
        }
        if (stages.Count == 0)
            throw EngineErrors.InvalidParameter(document.Instructions.Count == 0
                ? $"the Dockerfile ({options.Dockerfile}) cannot be empty"
                : "no build stage in current context");
        if (options.Target is { } target)
        {
            var index = stages.FindIndex(s => string.Equals(s.Name, target, StringComparison.OrdinalIgnoreCase));
            if (index < 0) throw EngineErrors.InvalidParameter($"failed to reach build target {target} in Dockerfile");
            stages = stages[..(index + 1)];
        }
        if (options.Labels.Count > 0)
        {
            var pairs = options.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).ToList();
            var original = "LABEL " + string.Join(' ', pairs.Select(p => $"\"{p.Key}\"='{p.Value}'"));
            ((List<Instruction>)stages[^1].Commands).Add(new Instruction
            {
                Keyword = "LABEL", Args = pairs.SelectMany(p => new[] { $"'{p.Key}'", $"'{p.Value}'" }).ToList(),
                Original = original, Line = 0,
            });
        }
        return new BuildPlan(metaArgs, stages, document.Escape);
    }

    /// <summary>The argument counts dockerd checks before building anything (instructions/parse.go).</summary>
    static void Validate(Instruction i)
    {
        string? error = i.Keyword switch
        {
            "FROM" when i.Args.Count is not (1 or 3) || (i.Args.Count == 3 && !i.Args[1].Equals("AS", StringComparison.OrdinalIgnoreCase))
                => "FROM requires either one or three arguments",
            "COPY" or "ADD" when i.Args.Count < 2 => $"{i.Keyword} requires at least two arguments, but only one was provided. Destination could not be determined.",
            "EXPOSE" or "VOLUME" or "ARG" or "ENV" or "LABEL" when i.Args.Count == 0 => $"{i.Keyword} requires at least one argument",
            "WORKDIR" or "USER" or "STOPSIGNAL" or "MAINTAINER" when i.Args.Count != 1 => $"{i.Keyword} requires exactly one argument",
            "CMD" or "ENTRYPOINT" or "RUN" when i.Args.Count == 0 && !i.IsJson => $"{i.Keyword} requires at least one argument",
            _ => null,
        };
        if (error is not null) throw DockerfileParser.Error(i.Line, error);
        if (i.Keyword is "COPY" or "ADD")
            foreach (var flag in i.Flags)
            {
                var name = flag[2..].Split('=', 2)[0];
                if (name is not ("from" or "chown" or "chmod") || (name == "from" && i.Keyword == "ADD"))
                    throw DockerfileParser.Error(i.Line, $"unknown flag: {name}");
            }
    }
}

/// <summary>One stage: its FROM line, its name (lower case, from <c>AS name</c>) and its instructions.</summary>
public sealed record BuildStagePlan(string? Name, Instruction From, IReadOnlyList<Instruction> Commands);
