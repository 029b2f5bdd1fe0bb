namespace Lab.Web.Preview;

/// <summary>Where a proxied app lives in Lab's URL space: <c>/preview/{machine}/{port}</c>, the prefix every
/// absolute path of the app is moved under.</summary>
public sealed record PreviewPath(string Machine, int Port)
{
    public const string Root = "/preview";

    public string Prefix => $"{Root}/{Machine}/{Port}";

    /// <summary>What the app itself would see as the request target (path and query, still percent-encoded),
    /// taken from the raw request line so encodings the app cares about (%2F, %20) reach it unchanged.</summary>
    public string UpstreamTarget(HttpContext context)
    {
        var raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "";
        if (raw.StartsWith(Prefix + "/", StringComparison.Ordinal))
        {
            return raw[Prefix.Length..];
        }

        // The prefix was written with other escapes: rebuild the rest from the decoded path.
        var rest = context.Request.Path.Value is { } path && path.Length > Prefix.Length ? path[Prefix.Length..] : "/";
        return Uri.EscapeDataString(rest).Replace("%2F", "/", StringComparison.Ordinal) + context.Request.QueryString;
    }
}
