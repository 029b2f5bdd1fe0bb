using System.Net.Http.Headers;
using Microsoft.Extensions.Primitives;

namespace Lab.Web.Preview;

/// <summary>The header rewriting between the browser and a student's app. Upstream the app sees what it would see
/// from the student's own `curl localhost:PORT` (Host), plus the usual X-Forwarded-* and X-Forwarded-Prefix, and
/// never Lab's own cookies. Downstream, absolute paths the app sends back (Location, Set-Cookie Path) are moved
/// under the preview prefix, and cookies named like Lab's are dropped so an app cannot shadow the session.</summary>
public static class PreviewHeaders
{
    /// <summary>Lab's cookies: the session (and its chunks) and ASP.NET Core's own (antiforgery, culture).</summary>
    public static bool IsPlatformCookie(string name) =>
        name.StartsWith("lab.session", StringComparison.Ordinal) || name.StartsWith(".AspNetCore.", StringComparison.Ordinal);

    // Connection-level headers (RFC 9110 §7.6.1) and what HttpClient/Kestrel set themselves.
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host", "Cookie", "Alt-Svc",
        "Expect", // Kestrel already answered the browser's 100-continue; HttpClient would wait for one again
    };

    /// <summary>The Cookie header without Lab's cookies; null when nothing is left.</summary>
    public static string? FilterCookieHeader(StringValues cookieHeaders)
    {
        var kept = new List<string>();
        foreach (var header in cookieHeaders)
        {
            foreach (var pair in (header ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var name = pair.Split('=', 2)[0].Trim();
                if (!IsPlatformCookie(name))
                {
                    kept.Add(pair);
                }
            }
        }

        return kept.Count == 0 ? null : string.Join("; ", kept);
    }

    /// <summary>Copies the browser's request headers onto the upstream request.</summary>
    public static void CopyRequestHeaders(HttpContext context, PreviewPath target, HttpRequestMessage upstream)
    {
        foreach (var (name, values) in context.Request.Headers)
        {
            if (NotForwarded.Contains(name) || name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!upstream.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                upstream.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        upstream.Headers.Host = $"localhost:{target.Port}";
        if (FilterCookieHeader(context.Request.Headers.Cookie) is { } cookies)
        {
            upstream.Headers.TryAddWithoutValidation("Cookie", cookies);
        }

        foreach (var (name, value) in ForwardedHeaders(context, target))
        {
            upstream.Headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>X-Forwarded-For (appended to what a proxy in front of Lab said), -Proto, -Host and -Prefix.</summary>
    public static IEnumerable<(string Name, string Value)> ForwardedHeaders(HttpContext context, PreviewPath target)
    {
        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var previous = context.Request.Headers["X-Forwarded-For"].ToString();
        yield return ("X-Forwarded-For", previous.Length > 0 ? $"{previous}, {client}" : client);
        yield return ("X-Forwarded-Proto", context.Request.Scheme);
        yield return ("X-Forwarded-Host", context.Request.Host.Value ?? "");
        yield return ("X-Forwarded-Prefix", target.Prefix);
    }

    /// <summary>Copies the app's response headers to the browser, rewritten for the prefix.</summary>
    public static void CopyResponseHeaders(HttpResponseMessage upstream, HttpContext context, PreviewPath target)
    {
        var response = context.Response;
        foreach (var (name, values) in upstream.Headers.Concat(upstream.Content.Headers))
        {
            if (NotForwarded.Contains(name))
            {
                continue;
            }

            if (name.Equals("Location", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Location", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers[name] = RewriteLocation(values.First(), target, context.Request.Host.Value ?? "");
            }
            else if (name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.SetCookie = values.Select(v => RewriteSetCookie(v, target)).OfType<string>().ToArray();
            }
            else
            {
                response.Headers[name] = values.ToArray();
            }
        }
    }

    /// <summary>A redirect of the app, as the browser must follow it: an absolute path or an absolute URL to the app
    /// itself (localhost:PORT, as the app sees itself, or Lab's own host) goes under the prefix, unless it already is
    /// (an app that honours X-Forwarded-Prefix); relative references and other sites are left alone.</summary>
    public static string RewriteLocation(string location, PreviewPath target, string publicHost)
    {
        if (location.StartsWith("//", StringComparison.Ordinal))
        {
            return location; // another site, scheme-relative
        }

        if (location.StartsWith('/'))
        {
            return UnderPrefix(location, target);
        }

        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            var authority = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
            var self = uri.Port == target.Port && uri.Host is "localhost" or "127.0.0.1";
            if (self || string.Equals(authority, publicHost, StringComparison.OrdinalIgnoreCase))
            {
                return UnderPrefix(uri.PathAndQuery + uri.Fragment, target);
            }
        }

        return location;
    }

    /// <summary>A Set-Cookie of the app: its Path moved under the prefix, its Domain dropped (the app's idea of its
    /// domain, "localhost", is not the browser's). Null for a cookie named like one of Lab's.</summary>
    public static string? RewriteSetCookie(string setCookie, PreviewPath target)
    {
        var parts = setCookie.Split(';').Select(p => p.Trim()).ToList();
        var name = parts[0].Split('=', 2)[0].Trim();
        if (IsPlatformCookie(name))
        {
            return null;
        }

        var rewritten = new List<string> { parts[0] };
        foreach (var attribute in parts.Skip(1).Where(p => p.Length > 0))
        {
            var key = attribute.Split('=', 2)[0].Trim();
            if (key.Equals("Domain", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (key.Equals("Path", StringComparison.OrdinalIgnoreCase))
            {
                var path = attribute.Split('=', 2) is [_, var value] ? value.Trim() : "/";
                rewritten.Add("Path=" + UnderPrefix(path.StartsWith('/') ? path : "/", target));
                continue;
            }

            rewritten.Add(attribute);
        }

        return string.Join("; ", rewritten);
    }

    private static string UnderPrefix(string absolutePath, PreviewPath target) =>
        absolutePath == target.Prefix || absolutePath.StartsWith(target.Prefix + "/", StringComparison.Ordinal)
        || absolutePath.StartsWith(target.Prefix + "?", StringComparison.Ordinal)
            ? absolutePath
            : target.Prefix + absolutePath;
}
