namespace Lab.Courses.Rendering;

/// <summary>What rendering needs to know about the lesson besides its text.</summary>
/// <param name="CourseId">Used in image URLs: <c>/courses/{CourseId}/assets/...</c>.</param>
/// <param name="Language">The course language: lesson language and button tooltips.</param>
/// <param name="SourcePath">The lesson file, for error locations.</param>
/// <param name="FallbackTitle">The title when the front matter has none and no heading is found.</param>
public sealed record LessonRenderContext(string CourseId, string Language, string SourcePath, string FallbackTitle);
