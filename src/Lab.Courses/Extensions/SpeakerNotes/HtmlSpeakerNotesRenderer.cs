using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace Lab.Courses.Extensions.SpeakerNotes;

/// <summary>Renders notes as reveal.js does (<c>&lt;aside class="notes"&gt;</c>) when a lesson is rendered as a
/// single page. Slides never go through this: the slide splitter renders the notes' children separately.</summary>
public sealed class HtmlSpeakerNotesRenderer : HtmlObjectRenderer<SpeakerNotesBlock>
{
    protected override void Write(HtmlRenderer renderer, SpeakerNotesBlock obj)
    {
        renderer.EnsureLine();
        if (renderer.EnableHtmlForBlock)
        {
            renderer.Write("<aside class=\"notes\"").WriteAttributes(obj).WriteLine(">");
        }

        renderer.WriteChildren(obj);
        if (renderer.EnableHtmlForBlock)
        {
            renderer.WriteLine("</aside>");
        }
    }
}
