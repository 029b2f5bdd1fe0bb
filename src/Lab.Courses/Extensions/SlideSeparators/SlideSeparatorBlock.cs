using Markdig.Parsers;
using Markdig.Syntax;

namespace Lab.Courses.Extensions.SlideSeparators;

/// <summary>A <c>---</c> (or <c>----</c>) line that ends one slide and starts the next. It holds no content; the
/// slide splitter cuts the document at each of these blocks.</summary>
public sealed class SlideSeparatorBlock(BlockParser parser) : LeafBlock(parser)
{
    /// <summary>3 for <c>---</c> (a horizontal slide in reveal-md), 4 for <c>----</c> (a vertical one).</summary>
    public int DashCount { get; init; }
}
