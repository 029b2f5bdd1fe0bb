namespace Lab.Web.Accounts;

/// <summary>The lab machine a user owns: exactly one per user, created the first time it is needed.</summary>
public sealed class UserMachine
{
    public required string UserId { get; init; }

    /// <summary>A hostname-safe machine name (<see cref="Lab.Runtime.Machines.MachineName"/>), unique.</summary>
    public required string MachineName { get; init; }

    public DateTime CreatedAt { get; init; } = DateTime.UtcNow;
}
