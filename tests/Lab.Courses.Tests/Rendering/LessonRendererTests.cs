using Lab.Courses.Catalog;
using Lab.Courses.Rendering;

namespace Lab.Courses.Tests.Rendering;

public sealed class LessonRendererTests
{
    private static RenderedLesson Render(string markdown, string language = "fr") =>
        new LessonRenderer().Render(markdown, new LessonRenderContext("intro", language, "lecon.md", "lecon"));

    [Fact]
    public void Notes_are_hidden_from_students()
    {
        var lesson = Render("# Diapo\nVisible.\n\nNotes :\nRéponse : 42, ne pas la donner.\n");

        var slide = Assert.Single(lesson.Slides);
        Assert.Contains("Visible.", slide.Html);
        Assert.DoesNotContain("42", slide.Html);
        Assert.DoesNotContain("Notes", slide.Html);
        Assert.Equal("<p>Réponse : 42, ne pas la donner.</p>", slide.NotesHtml?.Trim());
    }

    [Fact]
    public void Slides_without_notes_have_no_notes_html()
    {
        Assert.Null(Assert.Single(Render("# Diapo\n").Slides).NotesHtml);
    }

    [Fact]
    public void Lesson_title_comes_from_the_front_matter_then_the_first_h1_then_the_file()
    {
        Assert.Equal("Titre", Render("---\ntitle: Titre\n---\n# Autre\n").Title);
        Assert.Equal("Premier h1", Render("## Plan\n# Premier *h1*\n").Title);
        Assert.Equal("lecon", Render("Juste du texte.\n").Title);
    }

    [Fact]
    public void Lesson_language_is_the_course_language()
    {
        Assert.Equal("fr", Render("# A\n").Language);
    }

    [Fact]
    public void Code_buttons_speak_the_lesson_language()
    {
        var french = Assert.Single(Render("```bash {run}\nls\n```\n", "fr").Slides).Html;
        var english = Assert.Single(Render("```bash {run}\nls\n```\n", "en").Slides).Html;

        Assert.Contains("title=\"Exécuter dans le terminal\"", french);
        Assert.Contains("title=\"Copier\"", french);
        Assert.Contains("title=\"Run in the terminal\"", english);
    }

    [Fact]
    public void Invalid_front_matter_is_a_course_error_with_its_line()
    {
        var error = Assert.Throws<CourseFormatException>(() => Render("---\ndialect: markdown\ntitle: Docker: bases\n---\n"));

        Assert.Equal(("lecon.md", 3), (error.Location.FilePath, error.Location.Line));
    }

    [Fact]
    public void Notes_html_is_sanitized_too()
    {
        var slide = Assert.Single(Render("A\n\nNote: <img src=x onerror=alert(1)>\n").Slides);

        Assert.DoesNotContain("onerror", slide.NotesHtml);
    }
}
