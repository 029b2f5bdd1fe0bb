using System.Globalization;
using System.Text;
using Lab.Engine.Registry.Server;

namespace Lab.Web.Classes;

/// <summary>A class's slug: its URL (/classes/{slug}) and its registry namespace, so it follows the registry's
/// rule for a path component (<see cref="RepositoryName.IsValidNamespace"/>). Reserved: <c>library</c> (the base
/// images) and this app's own page names under /classes; the lowercase name of a user is their own namespace,
/// which <see cref="ClassStore"/> checks against the accounts.</summary>
public static class ClassSlugs
{
    public const int MaxLength = 40;
    public const int MaxNameLength = 100;

    private static readonly HashSet<string> Reserved = [RepositoryName.Library, "new", "join"];

    /// <summary>A slug made from a class name: "Docker — Groupe A" gives <c>docker-groupe-a</c>.</summary>
    public static string FromName(string name)
    {
        var slug = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (char.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue; // é → e
            }

            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                slug.Append(c);
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var text = slug.ToString();
        return text[..Math.Min(text.Length, MaxLength)].Trim('-');
    }

    /// <summary>Whether <paramref name="slug"/> has the right shape (not whether it is free).</summary>
    public static bool IsValid(string slug) => slug.Length <= MaxLength && RepositoryName.IsValidNamespace(slug);

    /// <summary>Whether the slug is kept for something else than classes.</summary>
    public static bool IsReserved(string slug) => Reserved.Contains(slug);
}
