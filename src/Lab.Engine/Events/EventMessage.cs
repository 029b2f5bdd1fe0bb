using System.Text.Json;

namespace Lab.Engine.Events;

/// <summary>The event types dockerd uses in <c>Type</c> (api/types/events).</summary>
public static class EventTypes
{
    public const string Container = "container";
    public const string Image = "image";
    public const string Volume = "volume";
    public const string Network = "network";
    public const string Builder = "builder";
    public const string Daemon = "daemon";
}

/// <summary>One event of one machine, as dockerd's events.Message: <c>Type</c>, <c>Action</c>,
/// <c>Actor{ID, Attributes}</c>, scope "local", time and timeNano, and for containers and images the fields
/// older clients still read (status, id, from).</summary>
public sealed record EventMessage(string Type, string Action, string ActorId,
    IReadOnlyDictionary<string, string> Attributes, DateTimeOffset Time)
{
    public long TimeNano => (Time - DateTimeOffset.UnixEpoch).Ticks * 100;

    /// <summary>Attributes under <paramref name="key"/>, or "" (Go's zero value for a missing map key).</summary>
    public string Attribute(string key) => Attributes.TryGetValue(key, out var value) ? value : "";

    /// <summary>The JSON line dockerd's encoder writes: fields in its declaration order, attributes sorted by key
    /// (Go sorts map keys), empty deprecated fields left out (omitempty).</summary>
    public byte[] ToJson()
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            // daemon/events/events.go fills the deprecated fields for containers and images only.
            if (Type is EventTypes.Container or EventTypes.Image)
            {
                json.WriteString("status", Action);
                json.WriteString("id", ActorId);
                if (Type == EventTypes.Container && Attribute("image") is { Length: > 0 } from) json.WriteString("from", from);
            }
            json.WriteString("Type", Type);
            json.WriteString("Action", Action);
            json.WriteStartObject("Actor");
            json.WriteString("ID", ActorId);
            json.WriteStartObject("Attributes");
            foreach (var (key, value) in Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
                json.WriteString(key, value);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("scope", "local");
            json.WriteNumber("time", Time.ToUnixTimeSeconds());
            json.WriteNumber("timeNano", TimeNano);
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
