using System.Diagnostics;
using System.Text;
using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Conformance;

/// <summary>What one side printed for a script, normalized, one block per command: the line, its stdout, its
/// stderr (each line marked "!") and its exit code. Two transcripts are compared with diff -u.</summary>
public sealed class Transcript
{
    readonly StringBuilder _text = new();

    public void Add(ScriptStep step, NormalizedResult result)
    {
        _text.Append($"## {step.Text}\n");
        if (result.Stdout.Length > 0) _text.Append(result.Stdout).Append('\n');
        if (result.Stderr.Length > 0)
            foreach (var line in result.Stderr.Split('\n')) _text.Append("! ").Append(line).Append('\n');
        _text.Append($"=> exit {result.ExitCode}\n");
    }

    public override string ToString() => _text.ToString();

    /// <summary>The unified diff from <paramref name="expected"/> to <paramref name="actual"/>, empty when equal.</summary>
    public static async Task<string> DiffAsync(Transcript expected, string expectedLabel, Transcript actual, string actualLabel)
    {
        var dir = Directory.CreateTempSubdirectory(StaleTestState.OwnPrefix + "conform-diff-").FullName;
        try
        {
            var left = Path.Combine(dir, expectedLabel);
            var right = Path.Combine(dir, actualLabel);
            await File.WriteAllTextAsync(left, expected.ToString());
            await File.WriteAllTextAsync(right, actual.ToString());
            var diff = Process.Start(new ProcessStartInfo("diff", ["-u", left, right])
            {
                RedirectStandardOutput = true, WorkingDirectory = dir,
            }) ?? throw new InvalidOperationException("diff did not start");
            var output = await diff.StandardOutput.ReadToEndAsync();
            await diff.WaitForExitAsync();
            return output.Replace(dir + "/", "");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>A command's result with <see cref="OutputNormalizer"/> applied.</summary>
public sealed record NormalizedResult(string Stdout, string Stderr, string ExitCode)
{
    public static NormalizedResult Of(CliResult result, IReadOnlyList<string> args) =>
        new(OutputNormalizer.Normalize(result.Stdout, args), OutputNormalizer.Normalize(result.Stderr, args),
            result.ExitCode.ToString());

    public string this[ResultPart part] => part switch
    {
        ResultPart.Stdout => Stdout,
        ResultPart.Stderr => Stderr,
        _ => ExitCode,
    };

    public NormalizedResult Without(ResultPart part) => part switch
    {
        ResultPart.Stdout => this with { Stdout = "<known difference>" },
        ResultPart.Stderr => this with { Stderr = "<known difference>" },
        _ => this with { ExitCode = "<known difference>" },
    };
}
