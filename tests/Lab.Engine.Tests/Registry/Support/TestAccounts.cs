using Lab.Engine.Registry.Auth;

namespace Lab.Engine.Tests.Registry.Support;

/// <summary>Lab accounts for registry tests (the Identity-backed ones live in Lab.Web): two students, two
/// instructors and an admin, each with the password "<name>-secret"; carol teaches the classes class1 and
/// carol-class, dave teaches class2.</summary>
public sealed class TestAccounts : IRegistryAccounts
{
    readonly Dictionary<string, (string Password, string[] Roles)> _users = new(StringComparer.OrdinalIgnoreCase)
    {
        ["alice"] = ("alice-secret", ["student"]),
        ["bob"] = ("bob-secret", ["student"]),
        ["carol"] = ("carol-secret", ["instructor"]),
        ["dave"] = ("dave-secret", ["instructor"]),
        ["root"] = ("root-secret", ["admin"]),
    };

    readonly Dictionary<string, string[]> _classInstructors = new()
    {
        ["class1"] = ["carol"],
        ["carol-class"] = ["carol"],
        ["class2"] = ["dave"],
    };

    public static string PasswordOf(string user) => $"{user}-secret";

    public Task<RegistryUser?> VerifyAsync(string userName, string password, CancellationToken ct) =>
        Task.FromResult(_users.TryGetValue(userName, out var user) && user.Password == password
            ? new RegistryUser(userName, user.Roles) { Stamp = user.Password }
            : null);

    // The password stands for the security stamp: changing it ends the refresh tokens issued before.
    public Task<RegistryUser?> FindAsync(string userName, CancellationToken ct) =>
        Task.FromResult(_users.TryGetValue(userName, out var user) ? new RegistryUser(userName, user.Roles) { Stamp = user.Password } : null);

    /// <summary>A password change, as the account page would make it.</summary>
    public void ChangePassword(string userName, string password) => _users[userName] = (password, _users[userName].Roles);

    public Task<NamespaceOwner> FindOwnerAsync(string registryNamespace, CancellationToken ct) =>
        Task.FromResult(_users.ContainsKey(registryNamespace) ? NamespaceOwner.User
            : _classInstructors.TryGetValue(registryNamespace, out var instructors) ? NamespaceOwner.Class(instructors)
            : NamespaceOwner.Nobody);
}
