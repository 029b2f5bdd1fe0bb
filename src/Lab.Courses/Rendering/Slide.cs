namespace Lab.Courses.Rendering;

/// <summary>One slide, ready to insert in a page. <paramref name="Html"/> and <paramref name="NotesHtml"/> are
/// sanitized; the notes are for the instructor's view only and never part of <paramref name="Html"/>.</summary>
/// <param name="Title">Plain text of the slide's first heading, if it has one.</param>
public sealed record Slide(string Html, string? NotesHtml, string? Title);
