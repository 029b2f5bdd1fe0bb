using Markdig.Parsers;
using Markdig.Syntax;

namespace Lab.Courses.Extensions.SpeakerNotes;

/// <summary>Speaker notes: everything from a <c>Note:</c> line to the end of its slide, parsed as ordinary
/// Markdown children. Students never see it; the slide splitter routes it to <c>Slide.NotesHtml</c>.</summary>
public sealed class SpeakerNotesBlock(BlockParser parser) : ContainerBlock(parser);
