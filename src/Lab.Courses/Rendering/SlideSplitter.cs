using Lab.Courses.Extensions.SlideSeparators;
using Lab.Courses.Extensions.SpeakerNotes;
using Markdig.Extensions.Yaml;
using Markdig.Syntax;

namespace Lab.Courses.Rendering;

/// <summary>Cuts a parsed lesson into slides: at every separator block; or, when there is none and
/// <c>splitOnHeadings</c> is set (plain Markdown), before every h1/h2. Within a slide, everything from the
/// speaker notes block on is notes, as in reveal.js where the rest of the slide after <c>Note:</c> is notes.
/// Slides left empty (around a leading or trailing separator, or before the first heading) are dropped.</summary>
internal static class SlideSplitter
{
    public static IReadOnlyList<SlideParts> Split(MarkdownDocument document, bool splitOnHeadings)
    {
        var hasSeparators = document.Any(block => block is SlideSeparatorBlock);
        var cutAtHeadings = splitOnHeadings && !hasSeparators;

        var slides = new List<SlideParts>();
        var content = new List<Block>();
        var notes = new List<Block>();
        var inNotes = false;

        void Flush()
        {
            if (content.Count > 0 || notes.Count > 0)
            {
                slides.Add(new SlideParts(content.ToList(), notes.ToList()));
            }

            content.Clear();
            notes.Clear();
            inNotes = false;
        }

        foreach (var block in document)
        {
            switch (block)
            {
                case YamlFrontMatterBlock:
                    break;
                case SlideSeparatorBlock:
                    Flush();
                    break;
                case HeadingBlock { Level: <= 2 } when cutAtHeadings:
                    Flush();
                    content.Add(block);
                    break;
                case SpeakerNotesBlock speakerNotes:
                    inNotes = true;
                    notes.AddRange(speakerNotes);
                    break;
                default:
                    (inNotes ? notes : content).Add(block);
                    break;
            }
        }

        Flush();
        return slides;
    }
}
