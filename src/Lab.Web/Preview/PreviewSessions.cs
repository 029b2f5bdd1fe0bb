using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Lab.Web.Preview;

/// <summary>The sign-in cookie of preview requests, checked once and then remembered for a few seconds: an app's
/// page loads dozens of files, and each full check costs more than proxying the file (decrypting the cookie, and
/// Identity's security-stamp validator, which builds a SignInManager and a database context per request).
/// The first request of a cookie goes through the full cookie handler (expiry, security stamp, renewal), so a
/// session is never trusted longer than <see cref="Remembered"/> after it was last fully checked, or past the
/// cookie's own expiry. That is stricter than the stamp validator itself, which looks at the database only
/// every 30 minutes. Keyed by the exact cookie value, so a forged or altered cookie is a miss, not a hit.</summary>
public sealed class PreviewSessions(IOptionsMonitor<CookieAuthenticationOptions> cookies, TimeProvider clock)
{
    public static readonly TimeSpan Remembered = TimeSpan.FromSeconds(30);

    // A bound on memory whatever the number of cookies seen: past it, entries are dropped (and checked again).
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, (ClaimsPrincipal User, DateTimeOffset Until)> checkedCookies = new(StringComparer.Ordinal);

    /// <summary>The signed-in user of <paramref name="context"/>, or null when the request has no valid session.</summary>
    public async Task<ClaimsPrincipal?> UserAsync(HttpContext context)
    {
        var options = cookies.Get(IdentityConstants.ApplicationScheme);
        if (options.Cookie.Name is not { } name || options.CookieManager.GetRequestCookie(context, name) is not { Length: > 0 } cookie)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (checkedCookies.TryGetValue(cookie, out var known))
        {
            if (known.Until > now)
            {
                return known.User;
            }

            checkedCookies.TryRemove(new KeyValuePair<string, (ClaimsPrincipal, DateTimeOffset)>(cookie, known));
        }

        var result = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        if (!result.Succeeded || result.Principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var until = now + Remembered;
        if (result.Properties.ExpiresUtc is { } expires && expires < until)
        {
            until = expires;
        }

        if (checkedCookies.Count >= Capacity)
        {
            Forget(now);
        }

        checkedCookies[cookie] = (result.Principal, until);
        return result.Principal;
    }

    private void Forget(DateTimeOffset now)
    {
        foreach (var (cookie, entry) in checkedCookies)
        {
            if (entry.Until <= now)
            {
                checkedCookies.TryRemove(cookie, out _);
            }
        }

        if (checkedCookies.Count >= Capacity)
        {
            checkedCookies.Clear();
        }
    }
}
