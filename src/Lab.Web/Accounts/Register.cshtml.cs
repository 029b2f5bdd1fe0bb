using System.ComponentModel.DataAnnotations;
using Lab.Web.Localization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Lab.Web.Accounts;

/// <summary>Anyone may register; new accounts are students. A name is refused when it is a class's slug: the
/// lowercase user name is the user's own registry namespace, and that one is the class's.</summary>
[AllowAnonymous]
public sealed class RegisterModel(UserManager<LabUser> users, SignInManager<LabUser> signIn, LabDbContext db,
    IStringLocalizer<SharedResource> text) : PageModel
{
    [BindProperty]
    public AccountForm Form { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var lowercase = Form.UserName.ToLowerInvariant();
        if (await db.Classes.AnyAsync(c => c.Slug == lowercase))
        {
            ModelState.AddModelError(string.Empty, text["The user name '{0}' is already taken.", Form.UserName]);
            return Page();
        }

        var user = new LabUser { UserName = Form.UserName };
        if (!AccountForm.Succeeded(await users.CreateAsync(user, Form.Password), ModelState)
            || !AccountForm.Succeeded(await users.AddToRoleAsync(user, LabRoles.Student), ModelState))
        {
            return Page();
        }

        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}

/// <summary>User name and a password typed twice: registration and the admin setup page.</summary>
public sealed class AccountForm
{
    [Required(ErrorMessage = "The {0} field is required.")]
    [StringLength(64, ErrorMessage = "The {0} must be at most {1} characters long.")]
    [Display(Name = "User name")]
    public string UserName { get; set; } = "";

    [Required(ErrorMessage = "The {0} field is required.")]
    [DataType(DataType.Password)]
    [Display(Name = "Password")]
    public string Password { get; set; } = "";

    [Required(ErrorMessage = "The {0} field is required.")]
    [DataType(DataType.Password)]
    [Compare(nameof(Password), ErrorMessage = "The passwords do not match.")]
    [Display(Name = "Confirm password")]
    public string ConfirmPassword { get; set; } = "";

    /// <summary>Copies Identity's errors (already localized) into the form's model state.</summary>
    public static bool Succeeded(IdentityResult result, Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary modelState)
    {
        foreach (var error in result.Errors)
        {
            modelState.AddModelError(string.Empty, error.Description);
        }

        return result.Succeeded;
    }
}
