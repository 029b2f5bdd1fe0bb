using System.Text.RegularExpressions;

namespace Lab.Runtime.Machines;

/// <summary>Machine names become hostnames, cgroup and directory names: keep them to a hostname label.</summary>
public static partial class MachineName
{
    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex Pattern();

    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    public static string Validate(string? name) => IsValid(name)
        ? name!
        : throw new LabException(ErrorKind.InvalidParameter,
            $"invalid machine name '{name}': use 1-63 lowercase letters, digits and '-', not starting or ending with '-'");
}
