using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace Lab.Courses.Extensions.RunnableCode;

/// <summary>Finds the fenced code blocks an author marked runnable and remembers it on the block, so that the
/// renderer only has to ask <see cref="IsRunnable"/>. Accepted info strings: <c>bash {run}</c> (any language,
/// with <c>run</c> among other <c>{...}</c> attributes) and <c>bash run</c> (the word <c>run</c> after the
/// language). With Markdig's generic attributes enabled, <c>{run}</c> arrives as a valueless attribute: it is
/// removed here so it is not written out as an HTML attribute.</summary>
public static class RunnableCodeMarker
{
    private static readonly object RunnableKey = new();

    public static void MarkRunnableBlocks(MarkdownDocument document)
    {
        foreach (var block in document.Descendants<FencedCodeBlock>())
        {
            if (TakeRunMarker(block))
            {
                block.SetData(RunnableKey, true);
            }
        }
    }

    public static bool IsRunnable(CodeBlock block) => block.GetData(RunnableKey) is true;

    private static bool TakeRunMarker(FencedCodeBlock block)
    {
        var marked = false;
        if (block.TryGetAttributes()?.Properties is { } properties)
        {
            marked = properties.RemoveAll(p => p.Key == "run" && p.Value is null) > 0;
        }

        var words = (block.Arguments ?? "").Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return marked || words.Any(word => word is "run" or "{run}");
    }
}
