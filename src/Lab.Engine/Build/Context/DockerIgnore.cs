using System.Text;
using System.Text.RegularExpressions;

namespace Lab.Engine.Build.Context;

/// <summary>.dockerignore as moby reads it (moby/patternmatcher and its ignorefile): one pattern per line,
/// <c>#</c> comments, patterns cleaned like Go's filepath.Clean with a leading <c>/</c> dropped, <c>!</c> for an
/// exception; <c>*</c> and <c>?</c> stay within a path segment, <c>**</c> spans segments, <c>[...]</c> classes
/// and <c>\</c> escapes as in Go's filepath.Match. A path is excluded when the last pattern matching it, or
/// matching one of its parent directories, is not an exception.</summary>
public sealed class DockerIgnore
{
    readonly List<(Regex Pattern, bool Exclusion)> _patterns = [];

    public DockerIgnore(IEnumerable<string> patterns)
    {
        foreach (var raw in patterns)
        {
            var pattern = raw.Trim();
            if (pattern.Length == 0) continue;
            var exclusion = pattern.StartsWith('!');
            if (exclusion)
            {
                pattern = pattern[1..].Trim();
                if (pattern.Length == 0) throw new FormatException("illegal exclusion pattern: \"!\"");
            }
            pattern = CleanPath(pattern);
            if (pattern.StartsWith('/')) pattern = pattern.TrimStart('/');
            if (pattern.Length == 0 || pattern == ".") continue;
            _patterns.Add((ToRegex(pattern), exclusion));
        }
    }

    public static DockerIgnore Read(string text) =>
        new(text.Replace("\r\n", "\n").Split('\n').Where(l => !l.StartsWith('#')));

    public bool IsEmpty => _patterns.Count == 0;

    /// <summary>Whether <paramref name="path"/> (relative to the context, '/' separated) is left out.</summary>
    public bool Excludes(string path)
    {
        path = CleanPath(path).TrimStart('/');
        var parents = new List<string>();
        for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
            parents.Add(path[..slash]);
        var matched = false;
        foreach (var (pattern, exclusion) in _patterns)
        {
            if (exclusion != matched) continue; // only a pattern of the other kind can change the outcome
            if (pattern.IsMatch(path) || parents.Any(pattern.IsMatch)) matched = !exclusion;
        }
        return matched;
    }

    /// <summary>Go's filepath.Clean for '/' paths: no empty or "." segments, ".." resolved.</summary>
    public static string CleanPath(string path)
    {
        var rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == ".." && parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
            else if (part == ".." && rooted) continue;
            else parts.Add(part);
        }
        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    i++;
                    // "**/" also matches nothing at all, so "**/x" matches "x" at the top.
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        i++;
                        regex.Append("(.*/)?");
                    }
                    else regex.Append(".*");
                    break;
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0) throw new FormatException($"syntax error in pattern: {pattern}");
                    var body = pattern[(i + 1)..close];
                    regex.Append('[').Append(body).Append(']'); // Go's classes: [a-z], [^a], \ escapes, as .NET's
                    i = close;
                    break;
                case '\\' when i + 1 < pattern.Length:
                    regex.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
