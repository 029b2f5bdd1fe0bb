namespace Lab.Courses.Catalog;

/// <summary>How a lesson file is cut into slides. Both dialects split on <c>---</c> lines and read
/// <c>Note:</c> speaker notes; they differ only for a file without separators.</summary>
public enum SlideDialect
{
    /// <summary>Plain Markdown: without separators, each h1/h2 starts a slide (a deck written for a
    /// triple-blank-line separator also comes out right this way).</summary>
    Markdown,

    /// <summary>reveal-md / reveal.js Markdown: without separators the whole file is one slide, as in reveal-md.</summary>
    RevealMd,
}
