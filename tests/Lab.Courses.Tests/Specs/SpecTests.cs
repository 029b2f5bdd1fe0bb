using Lab.Courses.Rendering;

namespace Lab.Courses.Tests.Specs;

/// <summary>Runs every example of every <c>Specs/*.md</c> file through the lesson renderer.</summary>
public sealed class SpecTests
{
    private static readonly LessonRenderContext Context = new("demo", "en", "spec.md", "spec");

    public static TheoryData<SpecExample> Examples()
    {
        var data = new TheoryData<SpecExample>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Specs"), "*.md").Order())
        {
            foreach (var example in SpecFile.Read(file))
            {
                data.Add(example);
            }
        }

        return data;
    }

    [Fact]
    public void Spec_files_have_examples()
    {
        Assert.True(Examples().Count >= 20, "the spec files under Specs/ were not copied to the test output");
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_renders_as_specified(SpecExample example)
    {
        var actual = SlidesText.Of(new LessonRenderer().Render(example.Markdown, Context));
        Assert.Equal(Normalize(example.Expected), Normalize(actual));
    }

    private static string Normalize(string text) =>
        string.Join('\n', text.Replace("\r\n", "\n").Split('\n').Select(line => line.TrimEnd())).Trim('\n');
}
