using Lab.Engine.Http;
using Lab.Engine.Images;
using Lab.Engine.Registry.Client;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>GET /images/search?term=…&amp;limit=…&amp;filters=…</c> (docker search): repositories of the
/// registry's catalog whose name contains the term (a term starting with a registry host searches that one;
/// otherwise the classroom registry), with dockerd's limit range and filters (is-official, is-automated,
/// stars).</summary>
public static class ImagesSearch
{
    public static async Task<IResult> Handle(HttpContext context, PullSource pulls, string? term, string? limit, string? filters)
    {
        var parsed = Filters.Parse(filters, "is-automated", "is-official", "stars");
        var official = Bool(parsed, "is-official");
        var automated = Bool(parsed, "is-automated");
        var stars = parsed.Get("stars").Select(s => int.TryParse(s, out var n) ? n : throw EngineErrors.InvalidParameter($"invalid filter 'stars={s}'"))
            .DefaultIfEmpty(0).Max();
        var count = 25;
        if (!string.IsNullOrEmpty(limit) && !int.TryParse(limit, out count))
            throw EngineErrors.InvalidParameter($"strconv.Atoi: parsing \"{limit}\": invalid syntax");
        if (count is < 1 or > 100) throw EngineErrors.InvalidParameter($"limit {count} is outside the range of [1, 100]");
        var (domain, remote) = Split(term ?? "");

        var credentials = ImagesCreate.Credentials(context.Request.Headers["X-Registry-Auth"]);
        var results = await pulls.Client().SearchAsync(domain, remote, count, credentials, context.RequestAborted);
        return EngineJson.Result(results
            .Where(r => (official is null || r.IsOfficial == official) && (automated is null || r.IsAutomated == automated) && r.StarCount >= stars)
            .Select(r => new Dictionary<string, object>
            {
                ["star_count"] = r.StarCount,
                ["is_official"] = r.IsOfficial,
                ["name"] = domain == "docker.io" ? r.Name : $"{domain}/{r.Name}",
                ["is_automated"] = r.IsAutomated,
                ["description"] = r.Description,
            }).ToList());
    }

    /// <summary>dockerd's filter booleans: true/false/1/0, anything else is an invalid filter.</summary>
    static bool? Bool(Filters filters, string key)
    {
        var values = filters.Get(key);
        if (values.Count == 0) return null;
        var value = values[^1];
        return value.ToLowerInvariant() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw EngineErrors.InvalidParameter($"invalid filter '{key}={value}'"),
        };
    }

    /// <summary>registry's splitReposSearchTerm: "host:5000/name" searches that registry for "name"; a first
    /// part without '.' or ':' (and not localhost) is a namespace of docker.io's.</summary>
    static (string Domain, string Remote) Split(string term)
    {
        var slash = term.IndexOf('/');
        if (slash > 0)
        {
            var first = term[..slash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost")
                return (AuthLogin.DomainOf(first), term[(slash + 1)..]);
        }
        return ("docker.io", term);
    }
}
