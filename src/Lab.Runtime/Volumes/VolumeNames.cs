using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Lab.Runtime.Volumes;

/// <summary>The local driver's volume names (moby volume/local: RestrictedVolumeNamePattern) and anonymous volumes'
/// 64-hex names.</summary>
public static partial class VolumeNames
{
    public const string RestrictedChars = "[a-zA-Z0-9][a-zA-Z0-9_.-]";

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")]
    private static partial Regex Pattern();

    public static bool IsValid(string name) => Pattern().IsMatch(name);

    /// <summary>dockerd's messages, wrapped as its volume store wraps them ("create NAME: ...").</summary>
    public static string Validate(string name)
    {
        if (name.Length == 1)
            throw new LabException(ErrorKind.InvalidParameter,
                $"create {name}: volume name is too short, names should be at least two alphanumeric characters");
        if (!IsValid(name))
            throw new LabException(ErrorKind.InvalidParameter,
                $"create {name}: \"{name}\" includes invalid characters for a local volume name, only \"{RestrictedChars}\" are allowed. If you intended to pass a host directory, use absolute path");
        return name;
    }

    public static string NewAnonymous() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
