using Markdig.Syntax;

namespace Lab.Courses.Rendering;

/// <summary>The top-level blocks of one slide, split into what students see and the speaker notes.</summary>
internal sealed record SlideParts(IReadOnlyList<Block> Content, IReadOnlyList<Block> Notes);
