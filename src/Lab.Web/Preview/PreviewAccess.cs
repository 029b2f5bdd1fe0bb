using System.Collections.Concurrent;
using System.Security.Claims;
using Lab.Web.Accounts;
using Lab.Web.Courses;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Lab.Web.Preview;

/// <summary>Who may open a machine's apps and see its ports: its owner, and the instructors of the class.
/// Lab has no classes yet, so every instructor (and admin) teaches every student; this is the one place to
/// narrow that once classes exist. Anyone else is refused whether or not the machine exists, so a student
/// cannot learn other machines' names by probing.
/// A user's machine never changes once given (<see cref="UserMachines"/>), so it is remembered after the first
/// lookup: an app's page loads dozens of files, and each would otherwise cost a database query.</summary>
public sealed class PreviewAccess(IServiceScopeFactory scopes, IOptions<IdentityOptions> identity)
{
    private readonly ConcurrentDictionary<string, string> machineOfUser = new();

    public async Task<bool> MayUseAsync(ClaimsPrincipal user, string machine, CancellationToken ct)
    {
        if (user.IsTeaching())
        {
            return true;
        }

        // What UserManager.GetUserId reads, without a scope per request.
        if (user.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType) is not { } userId)
        {
            return false;
        }

        if (!machineOfUser.TryGetValue(userId, out var own))
        {
            await using var scope = scopes.CreateAsyncScope();
            own = await scope.ServiceProvider.GetRequiredService<UserMachines>().FindAsync(userId, ct);
            if (own is null)
            {
                return false;
            }

            machineOfUser[userId] = own;
        }

        return own == machine;
    }
}
