using System.Collections.Concurrent;
using System.Security.Claims;
using Lab.Web.Accounts;
using Lab.Web.Classes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Lab.Web.Preview;

/// <summary>Who may open a machine's apps and see its ports: its owner, the instructors of a class its owner
/// attends (<see cref="ClassStore.TeachesOwnerOfMachineAsync"/>), and admins. Anyone else is refused whether or
/// not the machine exists, so nobody learns other machines' names by probing.
/// A user's machine never changes once given (<see cref="UserMachines"/>), so it is remembered after the first
/// lookup: an app's page loads dozens of files, and each would otherwise cost a database query. Class
/// membership is not remembered: removing a student from a class takes effect on the instructor's next request.</summary>
public sealed class PreviewAccess(IServiceScopeFactory scopes, IOptions<IdentityOptions> identity)
{
    private readonly ConcurrentDictionary<string, string> machineOfUser = new();

    public async Task<bool> MayUseAsync(ClaimsPrincipal user, string machine, CancellationToken ct)
    {
        if (user.IsInRole(LabRoles.Admin))
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
            if (own is not null)
            {
                machineOfUser[userId] = own;
            }
        }

        if (own == machine)
        {
            return true;
        }

        // Only instructor accounts can teach a class (ClassStore.AddInstructorAsync): students never cost a query.
        if (!user.IsInRole(LabRoles.Instructor))
        {
            return false;
        }

        await using var classes = scopes.CreateAsyncScope();
        return await classes.ServiceProvider.GetRequiredService<ClassStore>().TeachesOwnerOfMachineAsync(userId, machine, ct);
    }
}
