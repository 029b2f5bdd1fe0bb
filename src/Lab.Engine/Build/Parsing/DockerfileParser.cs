using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lab.Engine.Http;
using Lab.Runtime;

namespace Lab.Engine.Build.Parsing;

/// <summary>The Dockerfile parser of moby/buildkit's frontend/dockerfile/parser, which dockerd's classic builder
/// uses: parser directives at the top (<c># escape=`</c>; <c># syntax=</c> and <c># check=</c> are accepted and
/// ignored, there is no frontend to fetch), comments, line continuations with the escape character (comment and
/// blank lines inside a continuation are skipped), and per instruction the argument shape buildkit gives it.
/// Errors say "dockerfile parse error line N: …" as dockerd does.</summary>
public static partial class DockerfileParser
{
    static readonly HashSet<string> Known =
    [
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER",
        "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    ];

    public static DockerfileDocument Parse(string text)
    {
        if (text.StartsWith('\uFEFF')) text = text[1..];
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var escape = '\\';
        var directivesDone = false;
        var seenDirectives = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var instructions = new List<Instruction>();

        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i];
            if (!directivesDone)
            {
                var match = Directive().Match(raw);
                if (!match.Success) directivesDone = true;
                else
                {
                    var key = match.Groups[1].Value.ToLowerInvariant();
                    if (!seenDirectives.Add(key))
                        throw Error(i + 1, $"only one {key} parser directive can be used");
                    if (key == "escape")
                    {
                        var value = match.Groups[2].Value;
                        if (value is not ("`" or "\\"))
                            throw Error(i + 1, $"invalid escape token '{value}' does not match ` or \\");
                        escape = value[0];
                    }
                    continue;
                }
            }

            var first = raw.TrimStart();
            if (first.StartsWith('#') || first.Length == 0) continue;
            var startLine = i + 1;
            var (line, ended) = TrimContinuation(first, escape);
            while (!ended && i + 1 < lines.Length)
            {
                var next = lines[++i];
                var nextTrimmed = next.TrimStart();
                if (nextTrimmed.StartsWith('#') || nextTrimmed.Length == 0) continue;
                (var part, ended) = TrimContinuation(next, escape);
                line += part;
            }
            if (line.Trim().Length == 0) continue;
            instructions.Add(ParseLine(line, escape, startLine, allowOnbuild: true));
        }
        return new DockerfileDocument(instructions, escape);
    }

    /// <summary>"dockerfile parse error line 3: unknown instruction: FOO" (400).</summary>
    public static LabException Error(int line, string message) =>
        EngineErrors.InvalidParameter($"dockerfile parse error line {line}: {message}");

    static (string Line, bool Ended) TrimContinuation(string line, char escape)
    {
        var trimmed = line.TrimEnd(' ', '\t');
        return trimmed.EndsWith(escape) ? (trimmed[..^1], false) : (line, true);
    }

    static Instruction ParseLine(string line, char escape, int lineNumber, bool allowOnbuild)
    {
        var trimmed = line.Trim();
        var split = Whitespace().Match(trimmed);
        var keyword = (split.Success ? trimmed[..split.Index] : trimmed).ToUpperInvariant();
        var rest = split.Success ? trimmed[(split.Index + split.Length)..] : "";
        if (!Known.Contains(keyword))
            throw Error(lineNumber, $"unknown instruction: {keyword}");
        var (flags, args) = ExtractFlags(rest);
        var instruction = new Instruction
        {
            Keyword = keyword, Flags = flags, Args = [], Original = trimmed, Line = lineNumber,
        };
        try
        {
            return Shape(instruction, args, escape, lineNumber, allowOnbuild);
        }
        catch (FormatException e)
        {
            throw Error(lineNumber, e.Message);
        }
    }

    static Instruction Shape(Instruction node, string rest, char escape, int line, bool allowOnbuild)
    {
        switch (node.Keyword)
        {
            case "RUN" or "CMD" or "ENTRYPOINT" or "SHELL":
                if (TryJsonArray(rest) is { } exec) return node with { Args = exec, IsJson = true };
                if (node.Keyword == "SHELL") throw new FormatException("SHELL requires the arguments to be in JSON form");
                if (node.Keyword == "RUN" && rest.Length == 0) throw new FormatException("RUN requires at least one argument");
                return node with { Args = rest.Length == 0 ? [] : [rest] };
            case "COPY" or "ADD" or "VOLUME":
                if (TryJsonArray(rest) is { } list) return node with { Args = list, IsJson = true };
                return node with { Args = SplitWhitespace(rest) };
            case "FROM" or "EXPOSE":
                return node with { Args = SplitWhitespace(rest) };
            case "ENV" or "LABEL":
                return node with { Args = NameValues(node.Keyword, rest, escape) };
            case "ARG":
                return node with { Args = ShellWords.SplitWords(rest, escape) };
            case "MAINTAINER" or "STOPSIGNAL" or "USER" or "WORKDIR":
                return node with { Args = rest.Length == 0 ? [] : [rest] };
            case "HEALTHCHECK":
                return HealthCheck(node, rest);
            case "ONBUILD":
                if (!allowOnbuild) throw new FormatException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
                if (rest.Length == 0) throw new FormatException("ONBUILD requires at least one argument");
                var inner = ParseLine(rest, escape, line, allowOnbuild: false);
                if (inner.Keyword is "FROM" or "MAINTAINER")
                    throw new FormatException($"{inner.Keyword} isn't allowed as an ONBUILD trigger");
                return node with { Args = [rest], Inner = inner };
            default:
                throw new FormatException($"unknown instruction: {node.Keyword}");
        }
    }

    /// <summary>HEALTHCHECK NONE, or HEALTHCHECK [--interval=…] CMD command (shell or exec form): Args is
    /// ["NONE"] or ["CMD", command…].</summary>
    static Instruction HealthCheck(Instruction node, string rest)
    {
        var split = Whitespace().Match(rest);
        var type = (split.Success ? rest[..split.Index] : rest).ToUpperInvariant();
        var command = split.Success ? rest[(split.Index + split.Length)..] : "";
        if (type == "NONE")
        {
            if (command.Length > 0) throw new FormatException("HEALTHCHECK NONE takes no arguments");
            return node with { Args = ["NONE"] };
        }
        if (type != "CMD") throw new FormatException($"Unknown type \"{type}\" in HEALTHCHECK (try CMD)");
        if (TryJsonArray(command) is { } exec) return node with { Args = ["CMD", .. exec], IsJson = true };
        if (command.Length == 0) throw new FormatException("Missing command after HEALTHCHECK CMD");
        return node with { Args = ["CMD", command] };
    }

    /// <summary>ENV/LABEL: the old "KEY name value" form when the first word has no '=', else name=value words
    /// (quotes kept: the word expander removes them). Args alternate name, value.</summary>
    static IReadOnlyList<string> NameValues(string keyword, string rest, char escape)
    {
        var words = ShellWords.SplitWords(rest, escape);
        if (words.Count == 0) throw new FormatException($"{keyword} requires at least one argument");
        if (!words[0].Contains('='))
        {
            var parts = Whitespace().Split(rest, 2);
            if (parts.Length < 2) throw new FormatException($"{keyword} must have two arguments");
            return [parts[0], parts[1]];
        }
        var pairs = new List<string>();
        foreach (var word in words)
        {
            var eq = word.IndexOf('=');
            if (eq < 0) throw new FormatException($"Syntax error - can't find = in \"{word}\". Must be of the form: name=value");
            pairs.Add(word[..eq]);
            pairs.Add(word[(eq + 1)..]);
        }
        return pairs;
    }

    /// <summary>Leading <c>--name=value</c> words (buildkit's extractBuilderFlags); <c>--</c> ends them.</summary>
    static (IReadOnlyList<string> Flags, string Remainder) ExtractFlags(string rest)
    {
        var flags = new List<string>();
        var position = 0;
        while (true)
        {
            while (position < rest.Length && char.IsWhiteSpace(rest[position])) position++;
            if (!rest.AsSpan(position).StartsWith("--")) break;
            var end = position;
            var word = new StringBuilder();
            char quote = '\0';
            for (; end < rest.Length && (quote != '\0' || !char.IsWhiteSpace(rest[end])); end++)
            {
                var c = rest[end];
                if (quote == '\0' && c is '"' or '\'') quote = c;
                else if (c == quote) quote = '\0';
                else word.Append(c);
            }
            position = end;
            if (word.ToString() == "--") break;
            flags.Add(word.ToString());
        }
        return (flags, rest[position..].TrimStart());
    }

    static IReadOnlyList<string>? TryJsonArray(string rest)
    {
        var text = rest.Trim();
        if (!text.StartsWith('[') || !text.EndsWith(']')) return null;
        try
        {
            return JsonSerializer.Deserialize<string[]>(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static IReadOnlyList<string> SplitWhitespace(string rest) =>
        Whitespace().Split(rest.Trim()).Where(w => w.Length > 0).ToList();

    [GeneratedRegex(@"^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")]
    private static partial Regex Directive();

    [GeneratedRegex(@"[\t\v\f\r ]+")]
    private static partial Regex Whitespace();
}
