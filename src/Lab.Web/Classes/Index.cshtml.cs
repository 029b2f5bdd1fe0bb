using Lab.Web.Accounts;
using Lab.Web.Courses;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lab.Web.Classes;

/// <summary>/classes: the classes the user teaches and attends (admins: every class), with the ways to join
/// one and, for instructors, to create one.</summary>
public sealed class IndexModel(ClassStore classes, UserManager<LabUser> users) : PageModel
{
    public IReadOnlyList<Classroom> Teaching { get; private set; } = [];

    public IReadOnlyList<Classroom> Attending { get; private set; } = [];

    /// <summary>Every class, for admins; null for everyone else.</summary>
    public IReadOnlyList<Classroom>? All { get; private set; }

    public bool MayCreate => User.IsTeaching();

    /// <summary>The class just joined (set by the join page), to say so.</summary>
    [TempData]
    public string? Joined { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var mine = await classes.OfUserAsync(users.GetUserId(User)!, ct);
        Teaching = [.. mine.Where(m => m.Role == ClassRole.Instructor).Select(m => m.Class)];
        Attending = [.. mine.Where(m => m.Role == ClassRole.Student).Select(m => m.Class)];
        if (User.IsInRole(LabRoles.Admin))
        {
            All = await classes.AllAsync(ct);
        }
    }
}
