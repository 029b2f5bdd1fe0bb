using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace Lab.Courses.Extensions.SlideSeparators;

/// <summary>Writes nothing: a separator is a cut between slides, not content. Slides are rendered block by block
/// by the slide splitter, so this only matters when a whole lesson is rendered as one page.</summary>
public sealed class HtmlSlideSeparatorRenderer : HtmlObjectRenderer<SlideSeparatorBlock>
{
    protected override void Write(HtmlRenderer renderer, SlideSeparatorBlock obj)
    {
    }
}
