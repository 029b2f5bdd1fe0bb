using System.Text.RegularExpressions;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Lab.Courses.Rendering;

/// <summary>Points images written relative to the lesson (<c>![](images/couches.svg)</c>) at the web layer's
/// asset route, <c>/courses/{courseId}/assets/images/couches.svg</c>, which serves them through
/// <c>CourseCatalog.ResolveAsset</c>. Lessons sit directly in the course folder, so a path relative to the
/// lesson is a path relative to the course. Absolute URLs, root-relative paths, fragments and paths that climb
/// out with <c>..</c> are left as written.</summary>
internal static partial class AssetUrls
{
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex Scheme();

    public static void Rewrite(MarkdownDocument document, string courseId)
    {
        foreach (var image in document.Descendants<LinkInline>().Where(link => link.IsImage))
        {
            if (ToAssetUrl(image.Url, courseId) is { } url)
            {
                image.Url = url;
            }
        }
    }

    public static string? ToAssetUrl(string? url, string courseId)
    {
        if (string.IsNullOrWhiteSpace(url) || url[0] is '/' or '#' or '?' || Scheme().IsMatch(url))
        {
            return null;
        }

        var path = url;
        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        var pathOnly = path.Split('?', '#')[0];
        return path.Length == 0 || pathOnly.Split('/').Any(segment => segment is "..")
            ? null
            : $"/courses/{courseId}/assets/{path}";
    }
}
