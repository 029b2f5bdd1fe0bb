using System.Text.RegularExpressions;
using Lab.Runtime;

namespace Lab.Engine.Containers;

/// <summary>A container whose command cannot be exec'd, worded as runc words it (<c>exec: "x": executable file
/// not found in $PATH</c>). The docker CLI reads its exit code from those words: 127 for a command not found, 126
/// for one that cannot run; with other words `docker run` exits 125 and tutorials' `echo $?` lessons go wrong.</summary>
public static partial class StartFailure
{
    public static LabException Worded(LabException failure)
    {
        var match = ExecError().Match(failure.Message);
        if (!match.Success) return failure;
        var (command, error) = (match.Groups["command"].Value, match.Groups["error"].Value);
        var runc = error switch
        {
            "No such file or directory" when !command.Contains('/') => "executable file not found in $PATH",
            "No such file or directory" => $"stat {command}: no such file or directory",
            _ => error.ToLowerInvariant(), // strerror as Go prints it: "permission denied"
        };
        return new LabException(failure.Kind, $"{match.Groups["prefix"].Value}exec: \"{command}\": {runc}", failure);
    }

    [GeneratedRegex("^(?<prefix>.*)exec '(?<command>.*)': (?<error>[^:]+)$")]
    private static partial Regex ExecError();
}
