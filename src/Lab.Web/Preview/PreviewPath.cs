namespace Lab.Web.Preview;

/// <summary>Where a proxied app lives in Lab's URL space: <c>/preview/{machine}/{port}</c>, the prefix every
/// absolute path of the app is moved under.</summary>
public sealed record PreviewPath(string Machine, int Port)
{
    public const string Root = "/preview";

    public string Prefix => $"{Root}/{Machine}/{Port}";

    /// <summary>The target of a request path under an app's folder (<c>/preview/{machine}/{port}/...</c>, the
    /// trailing slash included), as the route <c>/{machine}/{port:int:range(1,65535)}/{**path}</c> matches it;
    /// false for anything else, <c>/preview/m/8080</c> itself included (it is redirected).</summary>
    public static bool TryParse(PathString path, out PreviewPath target)
    {
        target = null!;
        if (!path.StartsWithSegments(Root, out var rest) || rest.Value is not { Length: > 1 } value)
        {
            return false;
        }

        var machineEnd = value.IndexOf('/', 1);
        var portEnd = machineEnd < 0 ? -1 : value.IndexOf('/', machineEnd + 1);
        if (portEnd < 0)
        {
            return false;
        }

        var machine = value[1..machineEnd];
        var port = value.AsSpan(machineEnd + 1, portEnd - machineEnd - 1);
        if (!int.TryParse(port, System.Globalization.NumberStyles.None, null, out var number) || number is < 1 or > 65535
            || port[0] == '0' || !Lab.Runtime.Machines.MachineName.IsValid(machine))
        {
            return false;
        }

        target = new PreviewPath(machine, number);
        return true;
    }

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
