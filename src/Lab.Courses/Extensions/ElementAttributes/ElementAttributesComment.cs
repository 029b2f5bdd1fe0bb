using System.Text.RegularExpressions;

namespace Lab.Courses.Extensions.ElementAttributes;

/// <summary>Parses reveal.js's element attribute comments, <c>&lt;!-- .element: class="fragment" data-x="1" --&gt;</c>
/// (the colon is optional, as in reveal.js). Only <c>name="value"</c> pairs are read, like reveal.js does.</summary>
public static partial class ElementAttributesComment
{
    [GeneratedRegex(@"^\s*<!--\s*\.element\s*:?(?<attributes>.*?)-->\s*$", RegexOptions.Singleline)]
    private static partial Regex CommentPattern();

    [GeneratedRegex(@"(?<name>[^""=\s]+)=""(?<value>[^""]*)""")]
    private static partial Regex AttributePattern();

    /// <summary>The attributes in <paramref name="html"/> if it is exactly one element attribute comment,
    /// otherwise null.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>>? TryParse(string html)
    {
        var comment = CommentPattern().Match(html);
        if (!comment.Success)
        {
            return null;
        }

        return AttributePattern().Matches(comment.Groups["attributes"].Value)
            .Select(m => KeyValuePair.Create(m.Groups["name"].Value, m.Groups["value"].Value))
            .ToList();
    }
}
