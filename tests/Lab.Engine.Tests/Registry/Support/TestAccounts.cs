using Lab.Engine.Registry.Auth;

namespace Lab.Engine.Tests.Registry.Support;

/// <summary>Lab accounts for registry tests (the Identity-backed ones live in Lab.Web): two students, an
/// instructor and an admin, each with the password "<name>-secret".</summary>
public sealed class TestAccounts : IRegistryAccounts
{
    readonly Dictionary<string, (string Password, string[] Roles)> _users = new(StringComparer.OrdinalIgnoreCase)
    {
        ["alice"] = ("alice-secret", ["student"]),
        ["bob"] = ("bob-secret", ["student"]),
        ["carol"] = ("carol-secret", ["instructor"]),
        ["root"] = ("root-secret", ["admin"]),
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

    public Task<bool> IsUserNamespaceAsync(string registryNamespace, CancellationToken ct) =>
        Task.FromResult(_users.ContainsKey(registryNamespace));
}
