using Microsoft.AspNetCore.Identity;

namespace Lab.Web.Accounts;

/// <summary>The roles, seeded by the initial migration. Ids and stamps are fixed so the seed is reproducible.</summary>
public static class LabRoles
{
    public const string Student = "student";
    public const string Instructor = "instructor";
    public const string Admin = "admin";

    internal static readonly IdentityRole[] Seed =
    [
        Role("7d1a3c4e-0b6f-4f38-9a55-3c2f1e0d9a01", Student),
        Role("7d1a3c4e-0b6f-4f38-9a55-3c2f1e0d9a02", Instructor),
        Role("7d1a3c4e-0b6f-4f38-9a55-3c2f1e0d9a03", Admin),
    ];

    private static IdentityRole Role(string id, string name) =>
        new(name) { Id = id, NormalizedName = name.ToUpperInvariant(), ConcurrencyStamp = id };
}
