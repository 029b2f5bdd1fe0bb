using System.ComponentModel.DataAnnotations;
using Lab.Web.Accounts;
using Lab.Web.Courses;
using Lab.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Lab.Web.Classes;

/// <summary>/classes/new: an instructor creates a class and becomes its first instructor.</summary>
[Authorize(Roles = CourseRoles.Teaching)]
public sealed class CreateModel(ClassStore classes, UserManager<LabUser> users, IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public ClassForm Form { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var slug = string.IsNullOrWhiteSpace(Form.Slug) ? ClassSlugs.FromName(Form.Name) : Form.Slug.Trim();
        var (created, problem) = await classes.CreateAsync(Form.Name, slug, users.GetUserId(User)!, ct);
        if (problem is { } refused)
        {
            ModelState.AddModelError($"{nameof(Form)}.{nameof(Form.Slug)}", text.Describe(refused, slug));
            return Page();
        }

        return Redirect($"/classes/{created!.Slug}");
    }
}

public sealed class ClassForm
{
    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(ClassSlugs.MaxNameLength, ErrorMessage = "The {0} must be at most {1} characters long.")]
    [Display(Name = "Class name")]
    public string Name { get; set; } = "";

    /// <summary>Optional: made from the name when left empty.</summary>
    [Display(Name = "Short name")]
    public string? Slug { get; set; }
}
