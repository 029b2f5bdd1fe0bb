using System.Text;

namespace Lab.Engine.Tests.Conformance;

/// <summary>Splits a script line into arguments the way sh would for the quoting a tutorial uses: words separated
/// by blanks, '…' taken literally, "…" with \" and \\ escapes. No variables, globs or pipes: each line is one
/// docker command, run without a shell.</summary>
public static class ShellWords
{
    public static IReadOnlyList<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                word.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                if (end < 0) throw new FormatException($"unclosed ' in: {line}");
                word.Append(line, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                for (i++; ; i++)
                {
                    if (i >= line.Length) throw new FormatException($"unclosed \" in: {line}");
                    if (line[i] == '"') break;
                    if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\') i++;
                    word.Append(line[i]);
                }
            }
            else if (c == '\\' && i + 1 < line.Length)
                word.Append(line[++i]);
            else
                word.Append(c);
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
