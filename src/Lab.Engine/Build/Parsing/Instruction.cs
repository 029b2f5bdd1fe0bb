namespace Lab.Engine.Build.Parsing;

/// <summary>One Dockerfile instruction as the parser read it (buildkit's parser.Node): the keyword in upper case,
/// its leading <c>--name=value</c> flags, and its arguments. <see cref="IsJson"/> marks the exec (JSON array) form
/// of RUN/CMD/ENTRYPOINT/SHELL/COPY/ADD/VOLUME; the shell form of RUN/CMD/ENTRYPOINT is one argument holding the
/// command line. <see cref="Original"/> is the instruction as written (continuations joined), which the build
/// output shows after "Step N/M :".</summary>
public sealed record Instruction
{
    public required string Keyword { get; init; }
    public IReadOnlyList<string> Flags { get; init; } = [];
    public required IReadOnlyList<string> Args { get; init; }
    public bool IsJson { get; init; }
    public required string Original { get; init; }
    public int Line { get; init; }

    /// <summary>For ONBUILD: the instruction it holds.</summary>
    public Instruction? Inner { get; init; }

    /// <summary>The value of <c>--name=value</c>, or null when the flag is absent; <c>--name</c> alone is "true".</summary>
    public string? Flag(string name)
    {
        foreach (var flag in Flags)
        {
            var body = flag[2..];
            var eq = body.IndexOf('=');
            var key = eq < 0 ? body : body[..eq];
            if (key == name) return eq < 0 ? "true" : body[(eq + 1)..];
        }
        return null;
    }
}

/// <summary>A parsed Dockerfile: its instructions in order and the escape character its directive chose.</summary>
public sealed record DockerfileDocument(IReadOnlyList<Instruction> Instructions, char Escape);
