using Lab.Engine.Registry.Server;

namespace Lab.Engine.Registry.Auth;

/// <summary>Who may do what in the classroom registry:
/// <list type="bullet">
/// <item>pull: anyone from <c>library/*</c> (the base images); any Lab user from every other repository, so
///   students can share what they pushed;</item>
/// <item>push and delete: a user into their own namespace (<c>alice/*</c>); instructors and admins into the
///   library; a class's instructors into its namespace (<c>docker-a/*</c>); admins into any namespace that is
///   not a user's; nobody into another user's.</item>
/// </list></summary>
public sealed class RegistryPolicy(IRegistryAccounts accounts)
{
    public async Task<bool> AllowsAsync(RegistryUser? user, RepositoryName repo, string action, CancellationToken ct)
    {
        if (action == RegistryAction.Pull) return repo.IsLibrary || user is not null;
        if (user is null || !RegistryAction.IsKnown(action)) return false;
        if (repo.Namespace == user.Namespace) return true;
        if (repo.IsLibrary) return user.IsInstructor;
        var owner = await accounts.FindOwnerAsync(repo.Namespace, ct);
        return owner.Kind != NamespaceKind.User && (user.IsAdmin || owner.IsTaughtBy(user));
    }
}
