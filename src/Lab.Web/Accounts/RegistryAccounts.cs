using Lab.Engine.Registry.Auth;
using Lab.Web.Classes;
using Microsoft.AspNetCore.Identity;

namespace Lab.Web.Accounts;

/// <summary>The classroom registry's view of Lab accounts (<c>docker login</c> with the Lab user name and
/// password): the same password check and lockout as the sign-in page, the user's roles, and whose each
/// namespace is (a user's, or a class's with its instructors).</summary>
public sealed class RegistryAccounts(UserManager<LabUser> users, ClassStore classes) : IRegistryAccounts
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

    /// <summary>A namespace is a user's when it is that user's name in lowercase, a class's when it is its slug
    /// (the two never clash: a class cannot take a user's name, nor a new user a class's).</summary>
    public async Task<NamespaceOwner> FindOwnerAsync(string registryNamespace, CancellationToken ct)
    {
        if (await users.FindByNameAsync(registryNamespace) is { UserName: { } name } && name.ToLowerInvariant() == registryNamespace)
        {
            return NamespaceOwner.User;
        }

        return await classes.InstructorNamesAsync(registryNamespace, ct) is { } instructors
            ? NamespaceOwner.Class(instructors)
            : NamespaceOwner.Nobody;
    }
}
