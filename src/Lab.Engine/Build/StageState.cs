using System.Text.Json;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Build;

/// <summary>Where one build stage stands (moby's dispatchState): the image so far (null while a <c>FROM
/// scratch</c> stage has made nothing), the container config the next image gets, and the ARGs declared in this
/// stage with their values.</summary>
public sealed class StageState(string? name)
{
    public string? Name { get; } = name;
    public LocalImage? Image { get; set; }
    public ContainerConfig Config { get; set; } = new();

    /// <summary>CMD was set in this stage (an ENTRYPOINT then keeps it; otherwise ENTRYPOINT clears the CMD).</summary>
    public bool CmdSet { get; set; }

    /// <summary>ARG name → value (null: declared without a value), in declaration order.</summary>
    public List<KeyValuePair<string, string?>> Args { get; } = [];

    public string ShortId => Image is null ? "" : Image.Id.Hex[..12];

    public IReadOnlyList<string> Env => Config.Env ?? [];

    /// <summary>The environment words are expanded with: ENV first (it wins over an ARG of the same name), then
    /// the ARGs that have values.</summary>
    public IReadOnlyList<string> ExpansionEnv =>
        [.. Env, .. Args.Where(a => a.Value is not null).Select(a => $"{a.Key}={a.Value}")];

    /// <summary>The ARGs a RUN sees as environment: those with a value that no ENV overrides, sorted (the "|N
    /// a=b" prefix of a RUN's cache key and history lists them).</summary>
    public IReadOnlyList<string> BuildArgEnv
    {
        get
        {
            var envKeys = Env.Select(e => e.Split('=', 2)[0]).ToHashSet(StringComparer.Ordinal);
            return Args.Where(a => a.Value is not null && !envKeys.Contains(a.Key))
                .GroupBy(a => a.Key).Select(g => g.Last())
                .Select(a => $"{a.Key}={a.Value}").Order(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>SHELL, else /bin/sh -c.</summary>
    public IReadOnlyList<string> Shell => Extra<List<string>>("Shell") ?? ["/bin/sh", "-c"];

    public T? Extra<T>(string key) =>
        Config.Extra is { } extra && extra.TryGetValue(key, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.Deserialize<T>()
            : default;

    public void SetExtra(string key, object? value)
    {
        var extra = new Dictionary<string, JsonElement>(Config.Extra ?? []);
        if (value is null) extra.Remove(key);
        else extra[key] = JsonSerializer.SerializeToElement(value);
        Config = Config with { Extra = extra.Count == 0 ? null : extra };
    }

    public void SetEnv(string key, string value)
    {
        var env = Env.Where(e => e.Split('=', 2)[0] != key).ToList();
        var index = Env.ToList().FindIndex(e => e.Split('=', 2)[0] == key);
        if (index >= 0) env.Insert(index, $"{key}={value}");
        else env.Add($"{key}={value}");
        Config = Config with { Env = env };
    }
}
