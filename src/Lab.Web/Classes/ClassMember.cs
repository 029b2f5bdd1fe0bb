using Lab.Web.Accounts;

namespace Lab.Web.Classes;

/// <summary>A user's place in a class: one role per class (an instructor of a class is not also its student).</summary>
public sealed class ClassMember
{
    public int ClassroomId { get; init; }

    public required string UserId { get; init; }

    public ClassRole Role { get; set; }

    public DateTime JoinedAt { get; init; } = DateTime.UtcNow;

    public LabUser User { get; init; } = null!;
}

public enum ClassRole
{
    Student,
    Instructor,
}
