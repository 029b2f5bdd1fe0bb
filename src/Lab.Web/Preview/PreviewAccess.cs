using System.Security.Claims;
using Lab.Web.Accounts;
using Lab.Web.Courses;
using Microsoft.AspNetCore.Identity;

namespace Lab.Web.Preview;

/// <summary>Who may open a machine's apps and see its ports: its owner, and the instructors of the class.
/// Lab has no classes yet, so every instructor (and admin) teaches every student; this is the one place to
/// narrow that once classes exist. Anyone else is refused whether or not the machine exists, so a student
/// cannot learn other machines' names by probing.</summary>
public sealed class PreviewAccess(UserMachines machines, UserManager<LabUser> users)
{
    public async Task<bool> MayUseAsync(ClaimsPrincipal user, string machine, CancellationToken ct)
    {
        if (user.IsTeaching())
        {
            return true;
        }

        return users.GetUserId(user) is { } userId && await machines.FindAsync(userId, ct) == machine;
    }
}
