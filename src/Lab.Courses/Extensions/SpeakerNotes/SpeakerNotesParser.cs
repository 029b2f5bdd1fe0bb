using Lab.Courses.Extensions.SlideSeparators;
using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Syntax;

namespace Lab.Courses.Extensions.SpeakerNotes;

/// <summary>Opens speaker notes on an unindented top-level line starting with <c>Note:</c>, <c>Notes:</c> or the
/// French-typography <c>Notes :</c> (any case; a normal or no-break space before the colon). reveal.js's default
/// pattern (<c>^\s*notes?:</c>) misses the French spelling, which real French decks use.
/// Text after the colon on the same line is the first line of the notes. The notes run until the next slide
/// separator, or the next <c>#</c>/<c>##</c> heading line (the start of the next slide when a lesson is split on
/// headings); a fenced code block inside the notes is never cut.</summary>
public sealed class SpeakerNotesParser : BlockParser
{
    public SpeakerNotesParser()
    {
        OpeningCharacters = ['N', 'n'];
    }

    public override BlockState TryOpen(BlockProcessor processor)
    {
        if (processor.IsCodeIndent || processor.Column != 0 || !processor.IsAtDocumentLevel())
        {
            return BlockState.None;
        }

        var markerLength = MatchMarker(processor.Line);
        if (markerLength == 0)
        {
            return BlockState.None;
        }

        var start = processor.Start;
        var column = processor.Column;
        for (var i = 0; i < markerLength; i++)
        {
            processor.NextChar();
        }

        // The notes' first line is whatever follows the colon, whatever its indentation.
        while (processor.CurrentChar.IsSpaceOrTab())
        {
            processor.NextChar();
        }

        processor.NewBlocks.Push(new SpeakerNotesBlock(this)
        {
            Column = column,
            Line = processor.LineIndex,
            Span = new SourceSpan(start, processor.Line.End),
        });
        return BlockState.Continue;
    }

    public override BlockState TryContinue(BlockProcessor processor, Block block)
    {
        var endsNotes = !processor.IsCodeIndent && processor.Column == 0 && !HasUnclosedFence((SpeakerNotesBlock)block)
            && (SlideSeparatorParser.CountSeparatorDashes(processor.Line) != 0 || IsSlideHeading(processor.Line));
        if (endsNotes)
        {
            return BlockState.None;
        }

        block.UpdateSpanEnd(processor.Line.End);
        return BlockState.Continue;
    }

    /// <summary>The length of the <c>Note:</c> marker at the start of <paramref name="line"/>, or 0.</summary>
    private static int MatchMarker(StringSlice line)
    {
        var text = line.AsSpan();
        if (!text.StartsWith("note", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        var i = 4;
        if (i < text.Length && text[i] is 's' or 'S')
        {
            i++;
        }

        while (i < text.Length && text[i] is ' ' or '\t' or '\u00A0' or '\u202F')
        {
            i++;
        }

        return i < text.Length && text[i] == ':' ? i + 1 : 0;
    }

    private static bool IsSlideHeading(StringSlice line)
    {
        var text = line.AsSpan();
        var level = 0;
        while (level < text.Length && text[level] == '#')
        {
            level++;
        }

        return level is 1 or 2 && (level == text.Length || text[level] is ' ' or '\t');
    }

    private static bool HasUnclosedFence(SpeakerNotesBlock notes) =>
        notes.LastChild is FencedCodeBlock { ClosingFencedCharCount: 0 };
}
