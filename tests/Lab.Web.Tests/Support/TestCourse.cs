namespace Lab.Web.Tests.Support;

/// <summary>A small course written to a temporary folder: three slides, speaker notes, a runnable block, an
/// image. Tests assert against these exact texts.</summary>
public static class TestCourse
{
    public const string Id = "test-course";
    public const string Title = "Cours de test";
    public const string LessonSlug = "premiers-pas";
    public const string LessonTitle = "Premiers pas";
    public const string FirstSlideText = "Bienvenue dans la machine";
    public const string NotesText = "Secret du formateur";
    public const string RunCommand = "echo lab-$((6*7))";
    public const string RunOutput = "lab-42";
    public const int SlideCount = 3;
    public static readonly byte[] ImageBytes = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>"u8.ToArray();

    public static string Write(string parent)
    {
        var dir = Path.Combine(parent, Id);
        Directory.CreateDirectory(Path.Combine(dir, "images"));
        File.WriteAllText(Path.Combine(dir, "course.yaml"), $"""
            id: {Id}
            title: {Title}
            language: fr
            lessons:
              - 01-{LessonSlug}.md
            """);
        File.WriteAllText(Path.Combine(dir, $"01-{LessonSlug}.md"), $$"""
            ---
            title: {{LessonTitle}}
            ---

            # {{FirstSlideText}}

            Lancez la commande :

            ```bash {run}
            {{RunCommand}}
            ```

            Notes :
            {{NotesText}}

            ---

            ## Une image

            ![couches](images/couches.svg)

            ---

            ## Fin

            ```python
            print("bonjour")
            ```
            """);
        File.WriteAllBytes(Path.Combine(dir, "images", "couches.svg"), ImageBytes);
        return dir;
    }
}
