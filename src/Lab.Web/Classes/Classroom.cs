namespace Lab.Web.Classes;

/// <summary>A class: a group of students and the instructors who teach them. Its slug names it in URLs and is its
/// namespace in the classroom registry (<c>{slug}/app</c>), where only its instructors push.</summary>
public sealed class Classroom
{
    public int Id { get; init; }

    public required string Name { get; set; }

    /// <summary>Lowercase, URL-safe and a valid registry namespace (<see cref="ClassSlugs"/>); never changes.</summary>
    public required string Slug { get; init; }

    /// <summary>What students type to join (<see cref="JoinCodes"/>), stored without its dash.</summary>
    public required string JoinCode { get; set; }

    public DateTime CreatedAt { get; init; } = DateTime.UtcNow;

    public List<ClassMember> Members { get; init; } = [];
}
