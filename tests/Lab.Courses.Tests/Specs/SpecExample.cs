using Xunit.Abstractions;

namespace Lab.Courses.Tests.Specs;

/// <summary>One "Markdown in → slides out" example of a spec file, named after where it is written so a
/// failing test points at the example to read.</summary>
public sealed class SpecExample : IXunitSerializable
{
    public string File { get; private set; } = "";
    public string Section { get; private set; } = "";
    public int Line { get; private set; }
    public string Markdown { get; private set; } = "";
    public string Expected { get; private set; } = "";

    public SpecExample()
    {
    }

    public SpecExample(string file, string section, int line, string markdown, string expected)
    {
        (File, Section, Line, Markdown, Expected) = (file, section, line, markdown, expected);
    }

    public void Serialize(IXunitSerializationInfo info)
    {
        info.AddValue(nameof(File), File);
        info.AddValue(nameof(Section), Section);
        info.AddValue(nameof(Line), Line);
        info.AddValue(nameof(Markdown), Markdown);
        info.AddValue(nameof(Expected), Expected);
    }

    public void Deserialize(IXunitSerializationInfo info)
    {
        File = info.GetValue<string>(nameof(File));
        Section = info.GetValue<string>(nameof(Section));
        Line = info.GetValue<int>(nameof(Line));
        Markdown = info.GetValue<string>(nameof(Markdown));
        Expected = info.GetValue<string>(nameof(Expected));
    }

    public override string ToString() => $"{File}:{Line} {Section}";
}
