using Markdig;
using Markdig.Renderers;

namespace Lab.Courses.Extensions.ElementAttributes;

/// <summary>reveal.js <c>&lt;!-- .element: ... --&gt;</c> comments (fragments and other per-element attributes).
/// See <see cref="ElementAttributesApplier"/>.</summary>
public sealed class ElementAttributesExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        pipeline.DocumentProcessed -= ElementAttributesApplier.Apply;
        pipeline.DocumentProcessed += ElementAttributesApplier.Apply;
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
    }
}
