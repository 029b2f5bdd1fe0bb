using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace Lab.Courses.Extensions.RunnableCode;

/// <summary>Runnable code blocks (<c>```bash {run}</c>) and copy buttons on every code block.
/// See <see cref="HtmlRunnableCodeBlockRenderer"/> for the markup.</summary>
public sealed class RunnableCodeExtension(CodeBlockLabels labels) : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        pipeline.DocumentProcessed -= RunnableCodeMarker.MarkRunnableBlocks;
        pipeline.DocumentProcessed += RunnableCodeMarker.MarkRunnableBlocks;
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        // Replaced in place, so renderers that other extensions put before it (math blocks) still win.
        if (renderer is HtmlRenderer html && html.ObjectRenderers.FindExact<CodeBlockRenderer>() is { } codeBlocks)
        {
            html.ObjectRenderers.Replace<CodeBlockRenderer>(new HtmlRunnableCodeBlockRenderer(codeBlocks, labels));
        }
    }
}
