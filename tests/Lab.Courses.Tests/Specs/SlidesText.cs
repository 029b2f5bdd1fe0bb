using System.Text;
using Lab.Courses.Rendering;

namespace Lab.Courses.Tests.Specs;

/// <summary>The text form of rendered slides used in spec files: each slide starts with a line
/// <c>@slide</c> followed by its title if it has one, then its HTML; its notes, if any, follow a line
/// <c>@notes</c>.</summary>
public static class SlidesText
{
    public static string Of(RenderedLesson lesson)
    {
        var text = new StringBuilder();
        foreach (var slide in lesson.Slides)
        {
            text.Append(slide.Title is null ? "@slide" : $"@slide {slide.Title}").Append('\n');
            AppendHtml(text, slide.Html);
            if (slide.NotesHtml is not null)
            {
                text.Append("@notes\n");
                AppendHtml(text, slide.NotesHtml);
            }
        }

        return text.ToString().TrimEnd('\n');
    }

    private static void AppendHtml(StringBuilder text, string html)
    {
        var trimmed = html.Trim('\n');
        if (trimmed.Length > 0)
        {
            text.Append(trimmed).Append('\n');
        }
    }
}
