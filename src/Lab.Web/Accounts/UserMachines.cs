using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Lab.Web.Accounts;

/// <summary>Which machine belongs to which user. The mapping is the only way a request reaches a machine:
/// endpoints ask for the caller's own machine and never take a machine name on trust.</summary>
public sealed class UserMachines(LabDbContext db, UserManager<LabUser> users)
{
    /// <summary>The caller's machine name, created and stored the first time (the machine itself is created by
    /// the runtime when it first starts).</summary>
    public async Task<string> GetOrCreateAsync(ClaimsPrincipal principal, CancellationToken ct = default)
    {
        var userId = users.GetUserId(principal) ?? throw new InvalidOperationException("not signed in");
        if (await FindAsync(userId, ct) is { } existing)
        {
            return existing;
        }

        var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException($"no user {userId}");
        for (var attempt = 0; ; attempt++)
        {
            db.UserMachines.Add(new UserMachine { UserId = userId, MachineName = MachineNames.For(user.UserName ?? "user") });
            try
            {
                await db.SaveChangesAsync(ct);
                return await FindAsync(userId, ct) ?? throw new InvalidOperationException("machine mapping vanished");
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Another request of the same user won the race (reuse its machine), or the random suffix collided.
                db.ChangeTracker.Clear();
                if (await FindAsync(userId, ct) is { } winner)
                {
                    return winner;
                }
            }
        }
    }

    public Task<string?> FindAsync(string userId, CancellationToken ct = default) =>
        db.UserMachines.AsNoTracking().Where(m => m.UserId == userId).Select(m => m.MachineName).FirstOrDefaultAsync(ct);
}
