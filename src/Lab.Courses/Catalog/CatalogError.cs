namespace Lab.Courses.Catalog;

/// <summary>A problem that kept a course (or a whole root folder) out of the catalog.</summary>
public sealed record CatalogError(SourceLocation Location, string Message)
{
    public override string ToString() => $"{Location}: {Message}";

    internal static CatalogError From(CourseFormatException e) => new(e.Location, e.Problem);
}
