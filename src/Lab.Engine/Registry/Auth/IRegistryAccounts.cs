namespace Lab.Engine.Registry.Auth;

/// <summary>The Lab accounts as the registry needs them (implemented by Lab.Web over ASP.NET Core Identity).</summary>
public interface IRegistryAccounts
{
    /// <summary>The account if <paramref name="password"/> is its password (and it is not locked out), else null.</summary>
    Task<RegistryUser?> VerifyAsync(string userName, string password, CancellationToken ct);

    /// <summary>The account named <paramref name="userName"/>, when it exists and is not locked out, with its current
    /// roles and security stamp (for a refresh token: no password is asked again); else null.</summary>
    Task<RegistryUser?> FindAsync(string userName, CancellationToken ct);

    /// <summary>Whose the registry namespace <paramref name="registryNamespace"/> is: a Lab user's (their user name
    /// in lowercase), a class's (its slug, with the class's instructors), or nobody's.</summary>
    Task<NamespaceOwner> FindOwnerAsync(string registryNamespace, CancellationToken ct);
}

/// <summary>A signed-in Lab user: name and roles (student, instructor, admin).</summary>
public sealed record RegistryUser(string Name, IReadOnlyCollection<string> Roles)
{
    public const string InstructorRole = "instructor";
    public const string AdminRole = "admin";

    /// <summary>The user's own registry namespace: the user name in lowercase, when that is a valid repository
    /// path component (an e-mail-like name is not, and has none).</summary>
    public string? Namespace =>
        Server.RepositoryName.IsValidNamespace(Name.ToLowerInvariant()) ? Name.ToLowerInvariant() : null;

    public bool IsAdmin => Roles.Contains(AdminRole);

    public bool IsInstructor => Roles.Contains(InstructorRole) || IsAdmin;

    /// <summary>A value that changes when the account's password does (Identity's security stamp): refresh tokens
    /// issued before stop working.</summary>
    public string Stamp { get; init; } = "";
}

/// <summary>Who a registry namespace belongs to. <see cref="Instructors"/> (user names) is empty unless it is a class's.</summary>
public sealed record NamespaceOwner(NamespaceKind Kind, IReadOnlyCollection<string> Instructors)
{
    public static readonly NamespaceOwner Nobody = new(NamespaceKind.Unowned, []);

    public static readonly NamespaceOwner User = new(NamespaceKind.User, []);

    public static NamespaceOwner Class(IReadOnlyCollection<string> instructors) => new(NamespaceKind.Class, instructors);

    public bool IsTaughtBy(RegistryUser user) =>
        Kind == NamespaceKind.Class && Instructors.Contains(user.Name, StringComparer.OrdinalIgnoreCase);
}

public enum NamespaceKind
{
    Unowned,
    User,
    Class,
}
