using System.Text.Json;
using Lab.Runtime;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Registry.Client;

/// <summary>The registry client behind the Engine API's pull, push, login and search: any registry speaking the
/// distribution API (the classroom registry, distribution's docker-registry, ...), with Docker's token auth or
/// Basic auth. Images go to and come from an <see cref="IContentStore"/> plus a <see cref="TagStore"/>
/// namespace; progress is reported as dockerd's JSON progress lines (<see cref="JsonProgressWriter"/>).</summary>
public sealed class RegistryClient(HttpClient http, RegistryEndpoints? endpoints = null)
{
    readonly RegistryEndpoints _endpoints = endpoints ?? new RegistryEndpoints();

    /// <summary>The platform pulls choose from an index: this host's (linux/amd64 here).</summary>
    public Platform Platform { get; init; } = Platform.Host;

    /// <summary>Pulls <paramref name="reference"/> (by tag, <c>:latest</c> when it has none, or by digest) into
    /// <paramref name="store"/> and names it in <paramref name="names"/>.</summary>
    public async Task<PullResult> PullAsync(Reference reference, IContentStore store, TagStore names,
        IProgress<ProgressEvent>? progress = null, RegistryCredentials? credentials = null, CancellationToken ct = default)
    {
        var session = Session(reference.Domain, credentials, [$"repository:{reference.Path}:pull"]);
        return await new ImagePuller(session, reference, store, names, progress, Platform).PullAsync(ct);
    }

    /// <summary>Pushes the image <paramref name="reference"/> names in <paramref name="names"/> to its registry,
    /// under its tag (<c>:latest</c> when it has none).</summary>
    public async Task<PushResult> PushAsync(Reference reference, IContentStore store, TagStore names,
        IProgress<ProgressEvent>? progress = null, RegistryCredentials? credentials = null, CancellationToken ct = default)
    {
        if (reference.Digest is not null)
            throw new LabException(ErrorKind.InvalidParameter, $"cannot push a digest reference ({reference.FamiliarString}): push a tag");
        var target = reference.WithDefaultTag();
        var local = names.Resolve(target)
            ?? throw new LabException(ErrorKind.NotFound, $"An image does not exist locally with the tag: {target.FamiliarName}");

        // Other names of the same image in the same registry: their repositories can lend their blobs (mount).
        var registry = _endpoints.For(target.Domain);
        var sources = names.List()
            .Where(n => n.Target.Digest == local.Digest && n.Reference.Path != target.Path && _endpoints.For(n.Reference.Domain) == registry)
            .Select(n => n.Reference.Path)
            .Distinct()
            .ToList();
        var scopes = sources.Select(s => $"repository:{s}:pull").Prepend($"repository:{target.Path}:pull,push").ToList();
        var session = Session(target.Domain, credentials, scopes);
        await session.AuthorizeAsync(ct);
        return await new ImagePusher(session, target, local, store, sources, progress, Platform).PushAsync(ct);
    }

    /// <summary>Checks credentials the way <c>docker login</c> does: the registry's <c>/v2/</c> must accept
    /// them (through its token endpoint when it uses tokens). Forbidden when they are wrong. Asks for offline
    /// access as dockerd does: the refresh token a token endpoint may answer with is returned, for the client to
    /// keep as its identity token instead of the password; null when the registry gives none.</summary>
    public async Task<string?> LoginAsync(string domain, RegistryCredentials credentials, CancellationToken ct = default)
    {
        var session = new RegistrySession(http, _endpoints.For(domain), credentials, [], offline: true);
        await session.AuthorizeAsync(ct);
        return session.RefreshToken;
    }

    /// <summary><c>docker search</c>: repositories of the registry's catalog whose name contains
    /// <paramref name="term"/>, library images under their short name, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<SearchResult>> SearchAsync(string domain, string term, int limit = 25,
        RegistryCredentials? credentials = null, CancellationToken ct = default)
    {
        var session = Session(domain, credentials, ["registry:catalog:*"]);
        // A catalog answers anonymous callers too, only with less: sign in first so it shows what the user sees.
        if (credentials is not null) await session.AuthorizeAsync(ct);
        var results = new List<SearchResult>();
        var next = "v2/_catalog?n=100";
        for (var pages = 0; next is not null && pages < 100 && results.Count < limit; pages++)
        {
            var url = next;
            using var response = await session.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), ct);
            if (!response.IsSuccessStatusCode) throw await RegistrySession.ErrorAsync(response, "catalog request", ct);
            var body = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(ct));
            foreach (var repo in body.GetProperty("repositories").EnumerateArray().Select(r => r.GetString()).OfType<string>())
            {
                var official = repo.StartsWith("library/", StringComparison.Ordinal) && repo.Count(c => c == '/') == 1;
                var name = official ? repo["library/".Length..] : repo;
                if (name.Contains(term, StringComparison.OrdinalIgnoreCase) && results.Count < limit)
                    results.Add(new SearchResult(name, "", 0, official, false));
            }
            next = NextLink(response);
        }
        return results;
    }

    /// <summary>The relative URL of a <c>Link: &lt;...&gt;; rel="next"</c> header.</summary>
    static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links)) return null;
        var link = links.FirstOrDefault(l => l.Contains("rel=\"next\"", StringComparison.Ordinal));
        if (link is null) return null;
        var open = link.IndexOf('<');
        var close = link.IndexOf('>');
        return open < 0 || close < open ? null : link[(open + 1)..close].TrimStart('/');
    }

    RegistrySession Session(string domain, RegistryCredentials? credentials, IReadOnlyList<string> scopes) =>
        new(http, _endpoints.For(domain), credentials, scopes);
}

/// <summary>One <c>docker search</c> result, in the Engine API's fields.</summary>
public sealed record SearchResult(string Name, string Description, int StarCount, bool IsOfficial, bool IsAutomated);
