using System.Globalization;
using System.Text.Encodings.Web;
using Lab.Web.Localization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Localization;

namespace Lab.Web.Preview;

/// <summary>The page shown instead of a student's app when the preview cannot reach it (403, 404, 502): a small,
/// complete HTML page in the visitor's language. Written here rather than through the status pages because it
/// says which machine and port failed, and the status pages must not replace an app's own error pages.</summary>
public static class PreviewProblemPage
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        var text = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var html = context.RequestServices.GetRequiredService<HtmlEncoder>(); // the app's: French stays readable
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        DisableStatusPages(context);
        var language = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        await context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="{language}">
            <head><meta charset="utf-8" /><title>{html.Encode(title)} · Lab</title><link rel="stylesheet" href="/css/site.css" /></head>
            <body>
            <section class="message-page">
                <h1>{status}</h1>
                <p class="error-message" role="alert">{html.Encode(title)}</p>
                <p>{html.Encode(detail)}</p>
                <p><a href="/">{html.Encode(text["Back to the courses"])}</a></p>
            </section>
            </body>
            </html>
            """, context.RequestAborted);
    }

    /// <summary>What the app answers is passed on as is, error statuses included.</summary>
    public static void DisableStatusPages(HttpContext context)
    {
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }
    }
}
