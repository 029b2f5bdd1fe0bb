using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace Lab.Web.Localization;

/// <summary>English and French UI. The culture comes from the cookie set by the header's switcher, else from
/// the browser's Accept-Language, else English.</summary>
public static class LocalizationSetup
{
    public static readonly string[] Cultures = ["en", "fr"];

    public static IServiceCollection AddLabLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        // French (and lesson) text stays readable in the HTML instead of becoming &#xE9; entities.
        services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = Cultures.Select(name => new CultureInfo(name)).ToList();
            options.DefaultRequestCulture = new RequestCulture("en");
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders =
            [
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return services;
    }

    /// <summary>POST /culture (culture, returnUrl): the header's language switcher.</summary>
    public static IEndpointConventionBuilder MapLocalization(this WebApplication app) =>
        app.MapPost("/culture", ([FromForm] string culture, [FromForm] string? returnUrl, HttpContext context) =>
        {
            if (!Cultures.Contains(culture))
            {
                return Results.BadRequest();
            }

            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
        }).AllowAnonymous();

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
