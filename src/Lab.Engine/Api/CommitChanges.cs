using System.Text.Json;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Api;

/// <summary>The Dockerfile instructions `docker commit --change` and `docker import --change` accept (dockerd's
/// BuildFromConfig): CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL, ONBUILD, applied in
/// order to a config. Kept small and self-contained; `docker build` has its own full parser.</summary>
public static class CommitChanges
{
    static readonly string[] Allowed = ["CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "USER", "WORKDIR", "VOLUME", "STOPSIGNAL", "ONBUILD"];

    public static ContainerConfig Apply(ContainerConfig config, IEnumerable<string> changes)
    {
        bool cmdSet = false;
        foreach (var raw in changes)
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var space = line.IndexOfAny([' ', '\t']);
            var instruction = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var rest = space < 0 ? "" : line[(space + 1)..].Trim();
            if (!Allowed.Contains(instruction))
                throw Error($"{instruction} is not a valid change command");
            if (rest.Length == 0) throw Error($"{instruction} requires at least one argument");
            config = instruction switch
            {
                "CMD" => Cmd(config, rest, ref cmdSet),
                "ENTRYPOINT" => config with { Entrypoint = Command(rest), Cmd = cmdSet ? config.Cmd : null },
                "ENV" => config with { Env = Env(config.Env, Pairs(instruction, rest, allowSpaceForm: true)) },
                "LABEL" => config with { Labels = Labels(config.Labels, Pairs(instruction, rest, allowSpaceForm: false)) },
                "EXPOSE" => config with { ExposedPorts = Merge(config.ExposedPorts, Words(rest).Select(Port)) },
                "VOLUME" => config with { Volumes = Merge(config.Volumes, JsonOrWords(rest)) },
                "USER" => config with { User = rest },
                "WORKDIR" => config with { WorkingDir = WorkDir(config.WorkingDir, rest) },
                "STOPSIGNAL" => config with { StopSignal = rest },
                _ => OnBuild(config, rest),
            };
        }
        return config;
    }

    static Lab.Runtime.LabException Error(string message) => Http.EngineErrors.InvalidParameter(message);

    static ContainerConfig Cmd(ContainerConfig config, string rest, ref bool cmdSet)
    {
        cmdSet = true;
        return config with { Cmd = Command(rest) };
    }

    /// <summary>Exec form (a JSON array) or shell form (run by /bin/sh -c).</summary>
    static IReadOnlyList<string> Command(string rest) =>
        TryJsonArray(rest) ?? ["/bin/sh", "-c", rest];

    static IReadOnlyList<string>? TryJsonArray(string text)
    {
        if (!text.StartsWith('[')) return null;
        try
        {
            return JsonSerializer.Deserialize<List<string>>(text);
        }
        catch (JsonException)
        {
            return null; // as Docker: not valid JSON, so shell form
        }
    }

    static IEnumerable<string> JsonOrWords(string rest) => TryJsonArray(rest) ?? Words(rest);

    /// <summary>Words split on blanks, double or single quotes grouping and removed, backslash escaping.</summary>
    static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length && quote != '\'') { current.Append(text[++i]); inWord = true; continue; }
            if (quote != '\0') { if (c == quote) quote = '\0'; else current.Append(c); continue; }
            if (c is '"' or '\'') { quote = c; inWord = true; continue; }
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(current.ToString());
                current.Clear();
                inWord = false;
                continue;
            }
            current.Append(c);
            inWord = true;
        }
        if (quote != '\0') throw Error($"unexpected end of statement while looking for matching {quote}");
        if (inWord) words.Add(current.ToString());
        return words;
    }

    /// <summary>key=value pairs; ENV also has the old "ENV key value with spaces" form.</summary>
    static List<(string Key, string Value)> Pairs(string instruction, string rest, bool allowSpaceForm)
    {
        var words = Words(rest);
        if (allowSpaceForm && words.Count > 0 && !words[0].Contains('='))
        {
            var space = rest.IndexOfAny([' ', '\t']);
            if (space < 0) throw Error($"{instruction} must have two arguments");
            return [(words[0], string.Join(' ', Words(rest[space..])))];
        }
        var pairs = new List<(string, string)>();
        foreach (var word in words)
        {
            var eq = word.IndexOf('=');
            if (eq <= 0) throw Error($"{instruction} names can not be blank");
            pairs.Add((word[..eq], word[(eq + 1)..]));
        }
        return pairs;
    }

    static IReadOnlyList<string> Env(IReadOnlyList<string>? env, List<(string Key, string Value)> pairs)
    {
        var list = (env ?? []).ToList();
        foreach (var (key, value) in pairs)
        {
            list.RemoveAll(e => e == key || e.StartsWith(key + "=", StringComparison.Ordinal));
            list.Add($"{key}={value}");
        }
        return list;
    }

    static IReadOnlyDictionary<string, string> Labels(IReadOnlyDictionary<string, string>? labels, List<(string Key, string Value)> pairs)
    {
        var all = new Dictionary<string, string>(labels ?? new Dictionary<string, string>());
        foreach (var (key, value) in pairs) all[key] = value;
        return all;
    }

    static string Port(string port)
    {
        var (number, proto) = port.Split('/') is [var n, var p] ? (n, p.ToLowerInvariant()) : (port, "tcp");
        var range = number.Split('-');
        if (range.Length > 2 || range.Any(r => !ushort.TryParse(r, out var v) || v == 0) || proto is not ("tcp" or "udp" or "sctp"))
            throw Error($"invalid containerPort: {port}");
        return $"{number}/{proto}";
    }

    static IReadOnlyDictionary<string, EmptyObject> Merge(IReadOnlyDictionary<string, EmptyObject>? existing, IEnumerable<string> keys)
    {
        var all = new Dictionary<string, EmptyObject>(existing ?? new Dictionary<string, EmptyObject>());
        foreach (var key in keys) all[key] = EmptyObject.Value;
        return all;
    }

    static string WorkDir(string? current, string dir) =>
        dir.StartsWith('/') ? dir : (string.IsNullOrEmpty(current) ? "/" : current.TrimEnd('/') + "/") + dir;

    static ContainerConfig OnBuild(ContainerConfig config, string rest)
    {
        var trigger = rest.Split(' ', 2)[0].ToUpperInvariant();
        if (trigger is "ONBUILD" or "FROM" or "MAINTAINER")
            throw Error($"{trigger} isn't allowed as an ONBUILD trigger");
        var extra = new Dictionary<string, JsonElement>(config.Extra ?? []);
        var existing = extra.TryGetValue("OnBuild", out var e) && e.ValueKind == JsonValueKind.Array
            ? e.EnumerateArray().Select(x => x.GetString() ?? "").ToList() : [];
        existing.Add(rest);
        extra["OnBuild"] = JsonSerializer.SerializeToElement(existing);
        return config with { Extra = extra };
    }
}
