using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Lab.Courses.Rendering;

/// <summary>The plain text of a heading (<c>## Les *images*</c> → "Les images"), for slide and lesson titles.</summary>
internal static class HeadingText
{
    public static string? FirstIn(IEnumerable<Block> blocks, int maxLevel = 6) =>
        blocks.OfType<HeadingBlock>().Where(heading => heading.Level <= maxLevel).Select(Of).FirstOrDefault(text => text.Length > 0);

    public static string Of(HeadingBlock heading)
    {
        var text = new StringBuilder();
        Append(heading.Inline, text);
        return text.ToString().Trim();
    }

    private static void Append(ContainerInline? container, StringBuilder text)
    {
        for (var inline = container?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    text.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.AsSpan());
                    break;
                case LineBreakInline:
                    text.Append(' ');
                    break;
                case ContainerInline nested:
                    Append(nested, text);
                    break;
            }
        }
    }
}
