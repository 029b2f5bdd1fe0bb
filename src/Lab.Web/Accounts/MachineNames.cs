using System.Security.Cryptography;
using System.Text;
using Lab.Runtime.Machines;

namespace Lab.Web.Accounts;

/// <summary>Machine names for users: the user name made hostname-safe, plus a short random suffix so two users
/// whose names sanitize alike ("Zoé" and "zoe") never share a machine. Readable in `lab machine ls`.</summary>
public static class MachineNames
{
    private const int MaxStemLength = 40;
    private const string SuffixAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string For(string userName) =>
        MachineName.Validate($"{Stem(userName)}-{RandomNumberGenerator.GetString(SuffixAlphabet, 6)}");

    /// <summary>"Zoé Dupont" → "zoe-dupont": accents dropped, anything else outside [a-z0-9] becomes '-'.</summary>
    public static string Stem(string userName)
    {
        var builder = new StringBuilder();
        foreach (var c in userName.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            builder.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' ? c : '-');
        }

        var stem = string.Join('-', builder.ToString().Split('-', StringSplitOptions.RemoveEmptyEntries));
        stem = stem.Length > MaxStemLength ? stem[..MaxStemLength].TrimEnd('-') : stem;
        return stem.Length == 0 ? "user" : stem;
    }
}
