using Lab.Runtime;

namespace Lab.Courses.Catalog;

/// <summary>A course file (course.yaml or a lesson) that cannot be used, and where the problem is. Its kind is
/// <see cref="ErrorKind.Internal"/>: for a student asking for the lesson, broken content is the server's fault,
/// not a bad request.</summary>
public sealed class CourseFormatException(SourceLocation location, string problem, Exception? inner = null)
    : LabException(ErrorKind.Internal, $"{location}: {problem}", inner)
{
    public SourceLocation Location { get; } = location;

    /// <summary>The message without the location.</summary>
    public string Problem { get; } = problem;
}
