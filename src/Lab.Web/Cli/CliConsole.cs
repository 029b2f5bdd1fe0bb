namespace Lab.Web.Cli;

/// <summary>Where a command writes: text for people, and raw byte streams for a command's own output
/// (`lab machine exec` passes bytes through untouched). Tests pass their own.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, Stream StandardOutput, Stream StandardError)
{
    public static CliConsole Process() =>
        new(Console.Out, Console.Error, Console.OpenStandardOutput(), Console.OpenStandardError());
}
