namespace Lab.Engine.Tests.Conformance;

/// <summary>A command script of scripts/*.txt, run the same against dockerd and Lab. One command per line:
/// <code>
/// # a comment
/// clis cli28 cli20          which docker CLIs run the script (default: cli28)
/// docker run --rm busybox true
/// expect-exit 125           dockerd's exit code for the next command (default 0): says the script means it
/// docker run --rm no-such-image
/// host-cat {dir}/out.txt    prints a file of the host directory the commands can name as {dir}
/// </code></summary>
public sealed record ConformanceScript(string Name, IReadOnlyList<ScriptStep> Steps, IReadOnlyList<string> Clis)
{
    public static string Dir => Path.Combine(TestImages.RepoRoot, "tests", "Lab.Engine.Tests", "Conformance", "scripts");

    public static IEnumerable<string> Names =>
        Directory.GetFiles(Dir, "*.txt").Select(Path.GetFileNameWithoutExtension).Order()!;

    public static ConformanceScript Load(string name) => Parse(name, File.ReadAllLines(Path.Combine(Dir, name + ".txt")));

    public static ConformanceScript Parse(string name, IReadOnlyList<string> lines)
    {
        var steps = new List<ScriptStep>();
        IReadOnlyList<string> clis = ["cli28"];
        int? expectExit = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var text = lines[i].Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            var words = ShellWords.Split(text);
            var where = $"{name}.txt:{i + 1}";
            switch (words[0])
            {
                case "clis":
                    clis = words.Skip(1).ToArray();
                    if (clis.Count == 0 || clis.Any(c => c is not ("cli28" or "cli20")))
                        throw new FormatException($"{where}: clis takes cli28 and/or cli20");
                    break;
                case "expect-exit":
                    if (words.Count != 2 || !int.TryParse(words[1], out var code))
                        throw new FormatException($"{where}: expect-exit takes one exit code");
                    expectExit = code;
                    break;
                case "docker":
                    steps.Add(new ScriptStep(i + 1, text, StepKind.Docker, words.Skip(1).ToArray(), expectExit ?? 0));
                    expectExit = null;
                    break;
                case "host-cat":
                    if (words.Count != 2) throw new FormatException($"{where}: host-cat takes one path");
                    steps.Add(new ScriptStep(i + 1, text, StepKind.HostCat, [words[1]], 0));
                    break;
                default:
                    throw new FormatException($"{where}: a line is a comment, clis, expect-exit, docker … or host-cat, not '{words[0]}'");
            }
        }
        if (expectExit is not null) throw new FormatException($"{name}.txt: expect-exit at the end names no command");
        return new ConformanceScript(name, steps, clis);
    }
}

public enum StepKind { Docker, HostCat }

/// <param name="Text">The line as written: what known differences and the diff name it by.</param>
public sealed record ScriptStep(int Line, string Text, StepKind Kind, IReadOnlyList<string> Args, int ExpectedExit);
