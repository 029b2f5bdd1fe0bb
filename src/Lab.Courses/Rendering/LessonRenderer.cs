using Lab.Courses.Catalog;
using Markdig;

namespace Lab.Courses.Rendering;

/// <summary>Markdown lesson text → slides: parse with the lesson pipeline, point images at the asset route,
/// cut into slides, render and sanitize each slide and its notes.</summary>
public sealed class LessonRenderer
{
    /// <exception cref="CourseFormatException">The front matter is invalid.</exception>
    public RenderedLesson Render(string markdown, LessonRenderContext context)
    {
        var pipeline = SlidePipelines.For(context.Language);
        var document = Markdown.Parse(markdown, pipeline);
        var frontMatter = LessonFrontMatter.Read(context.SourcePath, document);
        AssetUrls.Rewrite(document, context.CourseId);

        var slides = SlideSplitter.Split(document, splitOnHeadings: frontMatter.Dialect == SlideDialect.Markdown)
            .Select(parts => new Slide(
                LessonHtmlSanitizer.Sanitize(SlideHtmlWriter.Write(parts.Content, pipeline)),
                parts.Notes.Count == 0 ? null : LessonHtmlSanitizer.Sanitize(SlideHtmlWriter.Write(parts.Notes, pipeline)),
                HeadingText.FirstIn(parts.Content)))
            .ToList();

        var title = frontMatter.Title ?? HeadingText.FirstIn(document, maxLevel: 1) ?? context.FallbackTitle;
        return new RenderedLesson(title, context.Language, slides);
    }
}
