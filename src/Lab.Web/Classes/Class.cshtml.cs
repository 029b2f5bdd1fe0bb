using System.ComponentModel.DataAnnotations;
using Lab.Web.Accounts;
using Lab.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Lab.Web.Classes;

/// <summary>/classes/{slug}: a class as its members see it. Its instructors and admins also see the join code
/// and the members, add a co-instructor, remove a student and regenerate the code. Anyone else gets 404, so
/// class names are not revealed by probing.</summary>
public sealed class ClassModel(ClassStore classes, UserManager<LabUser> users, IStringLocalizer<SharedResource> text) : PageModel
{
    public Classroom Class { get; private set; } = null!;

    public bool MayManage { get; private set; }

    public IEnumerable<ClassMember> Instructors => Members(ClassRole.Instructor);

    public IEnumerable<ClassMember> Students => Members(ClassRole.Student);

    [BindProperty]
    [Required(ErrorMessage = "The {0} field is required.")]
    [Display(Name = "User name")]
    public string InstructorName { get; set; } = "";

    public async Task<IActionResult> OnGetAsync(string slug, CancellationToken ct) =>
        await LoadAsync(slug, ct) ?? Page();

    public async Task<IActionResult> OnPostRegenerateAsync(string slug, CancellationToken ct)
    {
        if (await LoadManagedAsync(slug, ct) is { } refused)
        {
            return refused;
        }

        await classes.RegenerateCodeAsync(Class, ct);
        return Redirect($"/classes/{slug}");
    }

    public async Task<IActionResult> OnPostAddInstructorAsync(string slug, CancellationToken ct)
    {
        if (await LoadManagedAsync(slug, ct) is { } refused)
        {
            return refused;
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (await classes.AddInstructorAsync(Class, InstructorName, ct) is { } problem)
        {
            ModelState.AddModelError(nameof(InstructorName), text.Describe(problem, InstructorName.Trim()));
            return Page();
        }

        return Redirect($"/classes/{slug}");
    }

    public async Task<IActionResult> OnPostRemoveAsync(string slug, string userId, CancellationToken ct)
    {
        if (await LoadManagedAsync(slug, ct) is { } refused)
        {
            return refused;
        }

        await classes.RemoveStudentAsync(Class, userId, ct);
        return Redirect($"/classes/{slug}");
    }

    /// <summary>Loads the class for a member or an admin; the 404 result for anyone else.</summary>
    private async Task<IActionResult?> LoadAsync(string slug, CancellationToken ct)
    {
        var userId = users.GetUserId(User);
        var isAdmin = User.IsInRole(LabRoles.Admin);
        if (await classes.FindAsync(slug, ct) is not { } found || (!isAdmin && found.Members.All(m => m.UserId != userId)))
        {
            return NotFound();
        }

        Class = found;
        MayManage = ClassStore.MayManage(found, userId, isAdmin);
        return null;
    }

    /// <summary>As <see cref="LoadAsync"/>, and 403 for a student of the class.</summary>
    private async Task<IActionResult?> LoadManagedAsync(string slug, CancellationToken ct) =>
        await LoadAsync(slug, ct) ?? (MayManage ? null : Forbid());

    private IEnumerable<ClassMember> Members(ClassRole role) =>
        Class.Members.Where(m => m.Role == role).OrderBy(m => m.User.UserName, StringComparer.CurrentCultureIgnoreCase);
}
