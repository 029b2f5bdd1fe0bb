using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;

namespace Lab.Courses.Rendering;

/// <summary>Renders a slice of a parsed document (one slide's blocks) with the pipeline's HTML renderer.</summary>
internal static class SlideHtmlWriter
{
    public static string Write(IEnumerable<Block> blocks, MarkdownPipeline pipeline)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        pipeline.Setup(renderer);
        foreach (var block in blocks)
        {
            renderer.Render(block);
        }

        writer.Flush();
        return writer.ToString();
    }
}
