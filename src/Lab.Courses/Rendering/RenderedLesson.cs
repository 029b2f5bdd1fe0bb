namespace Lab.Courses.Rendering;

/// <summary>A lesson cut into slides.</summary>
/// <param name="Language">BCP 47 tag of the lesson's text, for the page's <c>lang</c> attribute.</param>
public sealed record RenderedLesson(string Title, string Language, IReadOnlyList<Slide> Slides);
