namespace Lab.Web.Terminal;

/// <summary>Browsers send the page's origin with a websocket handshake but apply no same-origin rule to it, so
/// a page on another site could open the terminal with the visitor's cookie. The handshake is refused unless
/// its Origin is this server's own scheme://host[:port].</summary>
public static class OriginCheck
{
    /// <summary>Null when the origin is acceptable, else the reason it is not (sent to the client).</summary>
    public static string? Problem(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return "refused: the request has no Origin header";
        }

        var expected = $"{request.Scheme}://{request.Host}";
        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.GetLeftPart(UriPartial.Authority), expected, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"refused: Origin '{origin}' does not match this server ({expected})";
    }
}
