using Markdig;
using Markdig.Parsers;
using Markdig.Renderers;

namespace Lab.Courses.Extensions.SpeakerNotes;

/// <summary>Speaker notes after a <c>Note:</c> line. See <see cref="SpeakerNotesParser"/>.</summary>
public sealed class SpeakerNotesExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        // Before the paragraph parser, so that a "Note:" line interrupts the paragraph above it.
        if (!pipeline.BlockParsers.Contains<SpeakerNotesParser>()
            && !pipeline.BlockParsers.InsertBefore<ParagraphBlockParser>(new SpeakerNotesParser()))
        {
            pipeline.BlockParsers.Add(new SpeakerNotesParser());
        }
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is HtmlRenderer html)
        {
            html.ObjectRenderers.AddIfNotAlready<HtmlSpeakerNotesRenderer>();
        }
    }
}
