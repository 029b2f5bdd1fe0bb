using System.Text.Json;
using Lab.Engine.Build.Parsing;
using Lab.Runtime;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Build.Steps;

/// <summary>The instructions that change only the image config (moby dispatchers.go): ENV, LABEL, MAINTAINER,
/// EXPOSE, USER, VOLUME, STOPSIGNAL, CMD, ENTRYPOINT, HEALTHCHECK, SHELL, ONBUILD, ARG. Each makes an image with
/// the same layers, the new config and an empty_layer history line such as <c>/bin/sh -c #(nop)  ENV a=b</c>.</summary>
public static class MetadataSteps
{
    public static async Task RunAsync(Builder builder, StageState stage, Instruction i, char escape, CancellationToken ct)
    {
        var comment = Apply(builder, stage, i, escape);
        await CommitConfigAsync(builder, stage, comment, ct);
    }

    /// <summary>The instruction's change to the stage's config, and the history comment for it. Without a
    /// builder (<c>docker commit --change</c>), ARG has no meaning and is refused by the caller.</summary>
    public static string Apply(Builder? builder, StageState stage, Instruction i, char escape)
    {
        var words = new ShellWords(stage.ExpansionEnv, escape);
        string Word(string w) => Builder.Expand(() => words.ProcessWord(w), i);
        string comment;
        switch (i.Keyword)
        {
            case "ENV":
            {
                var pairs = new List<string>();
                for (var k = 0; k < i.Args.Count; k += 2)
                {
                    var (name, value) = (Word(i.Args[k]), Word(i.Args[k + 1]));
                    if (name.Length == 0) throw new LabException(ErrorKind.InvalidParameter, "ENV names can not be blank");
                    stage.SetEnv(name, value);
                    pairs.Add($"{name}={value}");
                }
                comment = "ENV " + string.Join(' ', pairs);
                break;
            }
            case "LABEL":
            {
                var labels = new SortedDictionary<string, string>(
                    (stage.Config.Labels ?? new Dictionary<string, string>()).ToDictionary(), StringComparer.Ordinal);
                var pairs = new List<string>();
                for (var k = 0; k < i.Args.Count; k += 2)
                {
                    var (name, value) = (Word(i.Args[k]), Word(i.Args[k + 1]));
                    if (name.Length == 0) throw new LabException(ErrorKind.InvalidParameter, "LABEL names can not be blank");
                    labels[name] = value;
                    pairs.Add($"{name}={value}");
                }
                stage.Config = stage.Config with { Labels = labels };
                comment = "LABEL " + string.Join(' ', pairs);
                break;
            }
            case "MAINTAINER":
                comment = "MAINTAINER " + i.Args[0];
                break;
            case "EXPOSE":
            {
                var ports = new SortedDictionary<string, EmptyObject>(
                    (stage.Config.ExposedPorts ?? new Dictionary<string, EmptyObject>()).ToDictionary(), StringComparer.Ordinal);
                var written = new List<string>();
                foreach (var arg in i.Args)
                foreach (var port in Builder.Expand(() => words.ProcessWords(arg), i))
                {
                    ports[PortKey(port)] = EmptyObject.Value;
                    written.Add(port);
                }
                stage.Config = stage.Config with { ExposedPorts = ports };
                comment = "EXPOSE " + string.Join(' ', written);
                break;
            }
            case "USER":
                stage.Config = stage.Config with { User = Word(i.Args[0]) };
                comment = "USER " + stage.Config.User;
                break;
            case "STOPSIGNAL":
                stage.Config = stage.Config with { StopSignal = Word(i.Args[0]) };
                comment = "STOPSIGNAL " + stage.Config.StopSignal;
                break;
            case "VOLUME":
            {
                var volumes = new SortedDictionary<string, EmptyObject>(
                    (stage.Config.Volumes ?? new Dictionary<string, EmptyObject>()).ToDictionary(), StringComparer.Ordinal);
                var added = new List<string>();
                foreach (var arg in i.Args)
                {
                    var path = Word(arg).Trim();
                    if (path.Length == 0) throw new LabException(ErrorKind.InvalidParameter, "VOLUME specified can not be an empty string");
                    volumes[path] = EmptyObject.Value;
                    added.Add(path);
                }
                stage.Config = stage.Config with { Volumes = volumes };
                comment = $"VOLUME [{string.Join(' ', added)}]";
                break;
            }
            case "CMD":
                stage.Config = stage.Config with { Cmd = CommandOf(stage, i) };
                stage.CmdSet = true;
                comment = "CMD " + GoQuoted(stage.Config.Cmd!);
                break;
            case "ENTRYPOINT":
                stage.Config = stage.Config with
                {
                    Entrypoint = i.Args.Count == 0 && !i.IsJson ? null : CommandOf(stage, i),
                    Cmd = stage.CmdSet ? stage.Config.Cmd : null,
                };
                comment = "ENTRYPOINT " + GoQuoted(stage.Config.Entrypoint ?? []);
                break;
            case "SHELL":
                if (i.Args.Count == 0) throw new LabException(ErrorKind.InvalidParameter, "SHELL requires at least one argument");
                stage.SetExtra("Shell", i.Args.ToList());
                comment = $"SHELL [{string.Join(' ', i.Args)}]";
                break;
            case "HEALTHCHECK":
                comment = HealthCheck(stage, i);
                break;
            case "ONBUILD":
            {
                var triggers = stage.Extra<List<string>>("OnBuild") ?? [];
                triggers.Add(i.Args[0]);
                stage.SetExtra("OnBuild", triggers);
                comment = "ONBUILD " + i.Args[0];
                break;
            }
            case "ARG" when builder is not null:
                comment = "ARG " + DeclareArgs(builder, stage, i, escape);
                break;
            default:
                throw new LabException(ErrorKind.InvalidParameter, $"unknown instruction: {i.Keyword}");
        }
        return comment;
    }

    /// <summary>A config-only image, or the cached one.</summary>
    static async Task CommitConfigAsync(Builder builder, StageState stage, string comment, CancellationToken ct)
    {
        var cmd = StepImages.NopCmd(stage, comment);
        var createdBy = string.Join(' ', cmd);
        var key = BuildCache.Key(stage.Image, createdBy, stage.Config);
        if (StepImages.TryCache(builder, stage, key)) return;
        await StepImages.NopContainerAsync(builder, stage, cmd, ct);
        await StepImages.CommitAsync(builder, stage, key, createdBy, null, ct);
    }

    /// <summary>ARG name[=default]...: the client's --build-arg wins, then the default, then (in a stage) the
    /// value of the same ARG before FROM. Returns the history text ("a=1 b").</summary>
    public static string DeclareArgs(Builder builder, StageState stage, Instruction i, char escape)
    {
        var written = new List<string>();
        foreach (var arg in i.Args)
        {
            var eq = arg.IndexOf('=');
            var name = eq < 0 ? arg : arg[..eq];
            string? value = eq < 0 ? null
                : Builder.Expand(() => new ShellWords(stage.ExpansionEnv, escape).ProcessWord(arg[(eq + 1)..]), i);
            if (eq < 0) value ??= builder.MetaArg(name);
            if (builder.TryGetBuildArg(name, out var given) && given is not null) value = given;
            stage.Args.Add(new KeyValuePair<string, string?>(name, value));
            written.Add(eq < 0 ? name : $"{name}={arg[(eq + 1)..]}");
        }
        return string.Join(' ', written);
    }

    /// <summary>Exec form as given; shell form as SHELL + the command line (dockerd does not expand it).</summary>
    static List<string> CommandOf(StageState stage, Instruction i) =>
        i.IsJson ? [.. i.Args] : [.. stage.Shell, i.Args[0]];

    static string PortKey(string port) => port.Contains('/') ? port.ToLowerInvariant() : port + "/tcp";

    /// <summary>Go's %q of a []string: <c>["python" "app.py"]</c>.</summary>
    public static string GoQuoted(IEnumerable<string> words) =>
        "[" + string.Join(' ', words.Select(w => JsonSerializer.Serialize(w))) + "]";

    static string HealthCheck(StageState stage, Instruction i)
    {
        if (i.Args[0] == "NONE")
        {
            stage.SetExtra("Healthcheck", new Dictionary<string, object> { ["Test"] = new[] { "NONE" } });
            return "HEALTHCHECK &{[\"NONE\"] \"0s\" \"0s\" \"0s\" '\\x00'}";
        }
        var test = i.IsJson ? ["CMD", .. i.Args.Skip(1)] : new List<string> { "CMD-SHELL", i.Args[1] };
        var check = new Dictionary<string, object> { ["Test"] = test };
        var times = new[] { ("interval", "Interval"), ("timeout", "Timeout"), ("start-period", "StartPeriod"), ("start-interval", "StartInterval") };
        var shown = new List<string>();
        foreach (var (flag, field) in times)
        {
            var value = i.Flag(flag);
            var duration = value is null ? TimeSpan.Zero : ParseDuration(flag, value);
            if (value is not null) check[field] = (long)(duration.TotalMilliseconds * 1_000_000);
            // The history line prints Go's HealthConfig as dockerd 20.10 has it (no StartInterval yet).
            if (field != "StartInterval") shown.Add($"\"{FormatDuration(duration)}\"");
        }
        var retries = 0;
        if (i.Flag("retries") is { } r && (!int.TryParse(r, out retries) || retries < 0))
            throw new LabException(ErrorKind.InvalidParameter, $"--retries cannot be negative ({r})");
        if (retries > 0) check["Retries"] = retries;
        stage.SetExtra("Healthcheck", check);
        return $"HEALTHCHECK &{{{GoQuoted(test)} {string.Join(' ', shown)} '\\x{retries:x2}'}}";
    }

    static TimeSpan ParseDuration(string flag, string text)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^(\d+(?:\.\d+)?)(ms|s|m|h)$");
        if (!match.Success) throw new LabException(ErrorKind.InvalidParameter, $"time: invalid duration \"{text}\" (--{flag})");
        var n = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            _ => TimeSpan.FromHours(n),
        };
    }

    static string FormatDuration(TimeSpan d) =>
        d == TimeSpan.Zero ? "0s" : d.TotalHours >= 1 ? $"{(int)d.TotalHours}h{d.Minutes}m{d.Seconds}s"
        : d.TotalMinutes >= 1 ? $"{d.Minutes}m{d.Seconds}s" : $"{d.TotalSeconds}s";
}
