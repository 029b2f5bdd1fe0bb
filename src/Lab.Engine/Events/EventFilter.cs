using Lab.Engine.Http;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Events;

/// <summary>dockerd's events filter (daemon/events/filter.go): every given key must match. <c>container</c>,
/// <c>volume</c>, <c>network</c>... match the actor's id or name attribute by prefix, whatever the event's type
/// (so <c>container=web</c> also hides image events); <c>image</c> matches an image event's id or name, or a
/// container event's image, with or without its tag; <c>label</c> wants every given key (=value).</summary>
public sealed class EventFilter(Filters filters)
{
    /// <summary>The keys dockerd's filter reads; any other is refused, as the engine's other filters are.</summary>
    public static readonly string[] Keys =
        ["container", "image", "event", "type", "label", "volume", "network", "daemon", "plugin", "scope", "node", "service", "secret", "config"];

    public static EventFilter Parse(string? json) => new(Filters.Parse(json, Keys));

    public bool Includes(EventMessage e) =>
        MatchEvent(e)
        && ExactMatch("type", e.Type)
        && ExactMatch("scope", "local")
        && new[] { "daemon", "container", "plugin", "volume", "network", "node", "service", "secret", "config" }
            .All(key => FuzzyMatch(key, e.ActorId) || FuzzyMatch(key, e.Attribute("name")))
        && MatchImage(e)
        && MatchLabels(e.Attributes);

    /// <summary>health_status, exec_create and exec_start carry a suffix (": sh -c ..."): matched by prefix.</summary>
    bool MatchEvent(EventMessage e) =>
        filters.Get("event").Any(v => v is "health_status" or "exec_create" or "exec_start")
            ? FuzzyMatch("event", e.Action)
            : ExactMatch("event", e.Action);

    bool MatchImage(EventMessage e)
    {
        var name = e.Attribute(e.Type == EventTypes.Image ? "name" : "image");
        return ExactMatch("image", e.ActorId) || ExactMatch("image", name)
            || ExactMatch("image", StripTag(e.ActorId)) || ExactMatch("image", StripTag(name));
    }

    bool MatchLabels(IReadOnlyDictionary<string, string> attributes)
    {
        var wanted = filters.Get("label");
        if (wanted.Count == 0) return true;
        return wanted.All(label =>
        {
            var eq = label.IndexOf('=');
            return eq < 0
                ? attributes.ContainsKey(label)
                : attributes.TryGetValue(label[..eq], out var value) && value == label[(eq + 1)..];
        });
    }

    bool ExactMatch(string key, string source) => filters.Get(key) is not { Count: > 0 } values || values.Contains(source);

    bool FuzzyMatch(string key, string source) =>
        filters.Get(key) is not { Count: > 0 } values || values.Any(v => source == v || source.StartsWith(v, StringComparison.Ordinal));

    /// <summary>The familiar repository name without tag or digest (busybox:1.36 → busybox); anything else as is.</summary>
    static string StripTag(string image) =>
        !string.IsNullOrEmpty(image) && !image.StartsWith("sha256:", StringComparison.Ordinal)
        && Reference.TryParse(image, out var reference) ? reference!.FamiliarName : image;
}
