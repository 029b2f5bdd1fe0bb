namespace Lab.Courses.Tests.Specs;

/// <summary>Reads the examples of a spec file written like Markdig's and CommonMark's specs:
/// <code>
/// ```````````````````````````````` example
/// Markdown in
/// .
/// expected slides out
/// ````````````````````````````````
/// </code>
/// In the Markdown, <c>→</c> stands for a tab. The nearest heading above an example names its section.</summary>
public static class SpecFile
{
    private const string Fence = "````````````````````````````````";

    public static IEnumerable<SpecExample> Read(string path)
    {
        var name = Path.GetFileName(path);
        var lines = File.ReadAllLines(path);
        var section = "";
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith('#'))
            {
                section = lines[i].TrimStart('#').Trim();
            }

            if (lines[i] != Fence + " example")
            {
                continue;
            }

            var start = i + 1;
            var dot = Array.IndexOf(lines, ".", start);
            var end = Array.IndexOf(lines, Fence, start);
            if (dot < 0 || end < 0 || dot > end)
            {
                throw new FormatException($"{name}:{i + 1}: example without a '.' line and a closing fence");
            }

            var markdown = string.Join('\n', lines[start..dot]).Replace('→', '\t') + "\n";
            var expected = string.Join('\n', lines[(dot + 1)..end]);
            yield return new SpecExample(name, section, i + 1, markdown, expected);
            i = end;
        }
    }
}
