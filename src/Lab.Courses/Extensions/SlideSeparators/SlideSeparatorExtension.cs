using Markdig;
using Markdig.Parsers;
using Markdig.Renderers;

namespace Lab.Courses.Extensions.SlideSeparators;

/// <summary>reveal-md slide separators (<c>---</c> and <c>----</c> lines). See <see cref="SlideSeparatorParser"/>.</summary>
public sealed class SlideSeparatorExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        if (!pipeline.BlockParsers.Contains<SlideSeparatorParser>()
            && !pipeline.BlockParsers.InsertBefore<ThematicBreakParser>(new SlideSeparatorParser()))
        {
            pipeline.BlockParsers.Insert(0, new SlideSeparatorParser());
        }
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is HtmlRenderer html)
        {
            html.ObjectRenderers.AddIfNotAlready<HtmlSlideSeparatorRenderer>();
        }
    }
}
