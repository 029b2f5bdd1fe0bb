namespace Lab.Courses.Catalog;

/// <summary>Where something is in a course file: 1-based line and column when known. Printed the way compilers
/// print locations (<c>path:line:column</c>) so editors and terminals can jump to it.</summary>
public readonly record struct SourceLocation(string FilePath, int? Line = null, int? Column = null)
{
    public override string ToString() => (Line, Column) switch
    {
        ({ } line, { } column) => $"{FilePath}:{line}:{column}",
        ({ } line, null) => $"{FilePath}:{line}",
        _ => FilePath,
    };
}
