using System.ComponentModel.DataAnnotations;
using Lab.Web.Accounts;
using Lab.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Lab.Web.Classes;

/// <summary>/classes/join: any signed-in user joins a class as a student with its code.</summary>
public sealed class JoinModel(ClassStore classes, UserManager<LabUser> users, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "The {0} field is required.")]
    [Display(Name = "Class code")]
    public string Code { get; set; } = "";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var (classroom, problem) = await classes.JoinAsync(Code, users.GetUserId(User)!, ct);
        if (problem is { } refused)
        {
            ModelState.AddModelError(nameof(Code), text.Describe(refused, classroom?.Name ?? Code));
            return Page();
        }

        TempData[nameof(IndexModel.Joined)] = classroom!.Name;
        return Redirect("/classes");
    }
}
