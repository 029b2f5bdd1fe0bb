using System.Security.Cryptography;

namespace Lab.Web.Classes;

/// <summary>Join codes: 8 random characters shown as <c>ABCD-EFGH</c>, from an alphabet without look-alikes
/// (no 0/O, 1/I/L, 2/Z, 5/S, 8/B), so a code read off a projector is typed right. 25^8 ≈ 1.5e11 codes: guessing
/// one is hopeless at web speed, and a leaked one is replaced by regenerating it.</summary>
public static class JoinCodes
{
    public const int Length = 8;
    private const string Alphabet = "ACDEFGHJKMNPQRTUVWXY34679";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>As printed: two groups of four.</summary>
    public static string Display(string code) => code.Length == Length ? $"{code[..4]}-{code[4..]}" : code;

    /// <summary>What a student typed, as stored: case, spaces and dashes do not matter. Null when it cannot be a code.</summary>
    public static string? Normalize(string? typed)
    {
        var code = new string((typed ?? "").Where(c => c is not (' ' or '-' or '\t')).ToArray()).ToUpperInvariant();
        return code.Length == Length && code.All(Alphabet.Contains) ? code : null;
    }
}
