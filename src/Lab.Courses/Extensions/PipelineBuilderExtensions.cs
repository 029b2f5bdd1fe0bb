using Lab.Courses.Extensions.ElementAttributes;
using Lab.Courses.Extensions.RunnableCode;
using Lab.Courses.Extensions.SlideSeparators;
using Lab.Courses.Extensions.SpeakerNotes;
using Markdig;

namespace Lab.Courses.Extensions;

/// <summary>The <c>UseX()</c> one-liners of Lab's own Markdown syntax, in the style of Markdig's own.</summary>
public static class PipelineBuilderExtensions
{
    /// <summary><c>---</c> / <c>----</c> lines separate slides (reveal-md).</summary>
    public static MarkdownPipelineBuilder UseSlideSeparators(this MarkdownPipelineBuilder pipeline)
    {
        pipeline.Extensions.AddIfNotAlready<SlideSeparatorExtension>();
        return pipeline;
    }

    /// <summary>A <c>Note:</c> / <c>Notes:</c> / <c>Notes :</c> line starts the slide's speaker notes.</summary>
    public static MarkdownPipelineBuilder UseSpeakerNotes(this MarkdownPipelineBuilder pipeline)
    {
        pipeline.Extensions.AddIfNotAlready<SpeakerNotesExtension>();
        return pipeline;
    }

    /// <summary><c>&lt;!-- .element: class="fragment" --&gt;</c> sets attributes on the preceding element.</summary>
    public static MarkdownPipelineBuilder UseElementAttributes(this MarkdownPipelineBuilder pipeline)
    {
        pipeline.Extensions.AddIfNotAlready<ElementAttributesExtension>();
        return pipeline;
    }

    /// <summary>Copy buttons on code blocks, and a ▶ button on <c>```bash {run}</c> blocks.</summary>
    public static MarkdownPipelineBuilder UseRunnableCode(this MarkdownPipelineBuilder pipeline, CodeBlockLabels labels)
    {
        if (!pipeline.Extensions.Contains<RunnableCodeExtension>())
        {
            pipeline.Extensions.Add(new RunnableCodeExtension(labels));
        }

        return pipeline;
    }
}
