using Ganss.Xss;

namespace Lab.Courses.Rendering;

/// <summary>Cleans each slide's HTML, since lessons may contain raw HTML: no scripts, no event handlers, no
/// <c>javascript:</c> URLs, no forms. Keeps what our own markup needs: classes (fragments, code languages, code
/// blocks), ids (heading anchors, footnotes), <c>data-*</c> (<c>data-command</c>, <c>data-copy</c>, reveal.js
/// fragment indexes) and buttons. HtmlSanitizer is thread-safe once configured, so one instance is shared.</summary>
internal static class LessonHtmlSanitizer
{
    private static readonly HtmlSanitizer Sanitizer = Create();

    public static string Sanitize(string html) => Sanitizer.Sanitize(html);

    private static HtmlSanitizer Create()
    {
        var sanitizer = new HtmlSanitizer { AllowDataAttributes = true };
        sanitizer.AllowedAttributes.UnionWith(["class", "id", "aria-label", "aria-hidden", "role"]);
        sanitizer.AllowedSchemes.Add("mailto");

        // Lessons have no use for forms, and a form would let a lesson post to Lab's own endpoints.
        sanitizer.AllowedTags.ExceptWith(["form", "textarea", "select", "option", "optgroup", "keygen", "datalist", "fieldset", "legend", "output"]);
        sanitizer.AllowedAttributes.ExceptWith(["action", "formaction", "method", "enctype", "contenteditable"]);
        return sanitizer;
    }
}
