using Lab.Engine.Registry.Auth;
using Microsoft.AspNetCore.Identity;

namespace Lab.Web.Accounts;

/// <summary>The classroom registry's view of Lab accounts (<c>docker login</c> with the Lab user name and
/// password): the same password check and lockout as the sign-in page, and the user's roles.</summary>
public sealed class RegistryAccounts(UserManager<LabUser> users) : IRegistryAccounts
{
    public async Task<RegistryUser?> VerifyAsync(string userName, string password, CancellationToken ct)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return null;
        }

        if (!await users.CheckPasswordAsync(user, password))
        {
            await users.AccessFailedAsync(user); // counts towards the lockout, as a failed sign-in does
            return null;
        }

        await users.ResetAccessFailedCountAsync(user);
        return await RegistryUserAsync(user);
    }

    public async Task<RegistryUser?> FindAsync(string userName, CancellationToken ct) =>
        await users.FindByNameAsync(userName) is { } user && !await users.IsLockedOutAsync(user)
            ? await RegistryUserAsync(user)
            : null;

    private async Task<RegistryUser> RegistryUserAsync(LabUser user) =>
        new(user.UserName!, [.. await users.GetRolesAsync(user)]) { Stamp = await users.GetSecurityStampAsync(user) };

    /// <summary>A namespace is a user's when it is that user's name in lowercase.</summary>
    public async Task<bool> IsUserNamespaceAsync(string registryNamespace, CancellationToken ct) =>
        await users.FindByNameAsync(registryNamespace) is { UserName: { } name }
        && name.ToLowerInvariant() == registryNamespace;
}
