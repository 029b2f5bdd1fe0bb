using System.Text.RegularExpressions;

namespace Lab.Engine.Tests.Conformance;

/// <summary>Masks what legitimately differs between two engines running the same commands: ids and digests,
/// times and durations, sizes, usage figures, addresses and process ids. Tables are re-spaced, since a masked
/// column's width decided the padding. Everything else must be equal.</summary>
public static partial class OutputNormalizer
{
    public static string Normalize(string output, IReadOnlyList<string> args)
    {
        var text = output.Replace("\r\n", "\n");
        text = Digest().Replace(text, "<id>");
        text = ShortId().Replace(text, "<id>");
        text = Rfc3339().Replace(text, "<time>");
        text = GoTime().Replace(text, "<time>");
        text = Clock().Replace(text, "<time>");
        text = HumanDuration().Replace(text, "<duration>");
        text = Size().Replace(text, "<size>");
        text = Percent().Replace(text, "<pct>");
        text = Ipv4().Replace(text, "<ip>");
        text = RandomPort().Replace(text, "<ip>:<port>");
        // docker top prints the engine's process ids and the host's CPU times: only the commands compare.
        if (args.FirstOrDefault() == "top") text = Number().Replace(text, "<n>");
        var lines = text.TrimEnd('\n').Split('\n').Select(line => Padding().Replace(line, "   ").TrimEnd()).ToList();
        if (IsUnordered(args)) lines = [.. lines.Take(1).Where(IsHeader), .. lines.Where(l => !IsHeader(l)).Order(StringComparer.Ordinal)];
        return string.Join('\n', lines);
    }

    /// <summary>Outputs whose order is not Docker's contract: `docker images` prints the tags of one image in Go
    /// map order (the CLI groups them by repository), `docker diff` in the order the storage driver walks.</summary>
    static bool IsUnordered(IReadOnlyList<string> args) =>
        args.FirstOrDefault() is "images" or "diff" || args.Take(2).SequenceEqual(["image", "ls"]);

    static bool IsHeader(string line) => line.StartsWith("REPOSITORY ", StringComparison.Ordinal);

    [GeneratedRegex("(sha256:)?[0-9a-f]{64}")]
    private static partial Regex Digest();

    [GeneratedRegex(@"(?<![0-9a-zA-Z])[0-9a-f]{12}(?![0-9a-zA-Z])")]
    private static partial Regex ShortId();

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")]
    private static partial Regex Rfc3339();

    /// <summary>Go's time.Time.String(), as ps {{.CreatedAt}} prints it.</summary>
    [GeneratedRegex(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [+-]\d{4} [A-Z]+")]
    private static partial Regex GoTime();

    [GeneratedRegex(@"\b\d\d:\d\d(:\d\d)?\b")]
    private static partial Regex Clock();

    /// <summary>go-units' HumanDuration ("Up 2 seconds", "Exited (0) About a minute ago", "3 days ago").</summary>
    [GeneratedRegex(@"Less than a second|About a minute|About an hour|\b\d+ (second|minute|hour|day|week|month|year)s?\b")]
    private static partial Regex HumanDuration();

    [GeneratedRegex(@"\b\d+(\.\d+)?\s?([kKMGT]i?)?B\b")]
    private static partial Regex Size();

    [GeneratedRegex(@"\b\d+(\.\d+)?%")]
    private static partial Regex Percent();

    [GeneratedRegex(@"\b\d{1,3}(\.\d{1,3}){3}(/\d+)?\b")]
    private static partial Regex Ipv4();

    [GeneratedRegex(@"<ip>:\d+")]
    private static partial Regex RandomPort();

    [GeneratedRegex(@"\b\d+\b")]
    private static partial Regex Number();

    [GeneratedRegex(" {2,}")]
    private static partial Regex Padding();
}
