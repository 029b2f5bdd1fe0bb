using Markdig.Parsers;
using Markdig.Syntax;

namespace Lab.Courses.Extensions;

internal static class BlockProcessorExtensions
{
    /// <summary>Whether a block opened on the current line lands at the top level of the document. While new
    /// blocks are being tried, <see cref="BlockProcessor.CurrentContainer"/> still includes containers that did
    /// not match this line (a list item the line is not indented for, a quote without <c>&gt;</c>); those are
    /// marked not open and are closed as soon as a new block opens, so they do not count.</summary>
    public static bool IsAtDocumentLevel(this BlockProcessor processor)
    {
        for (var container = processor.CurrentContainer; container is not null; container = container.Parent)
        {
            if (container is MarkdownDocument)
            {
                return true;
            }

            if (container.IsOpen)
            {
                return false;
            }
        }

        return false;
    }
}
