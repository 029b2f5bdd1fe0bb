using Lab.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lab.Web.Setup;

/// <summary>The page behind the one-time link printed on first run: creates the first admin account.</summary>
[AllowAnonymous]
public sealed class AdminSetupModel(AdminSetupToken tokens, UserManager<LabUser> users, SignInManager<LabUser> signIn) : PageModel
{
    [BindProperty]
    public AccountForm Form { get; set; } = new();

    public IActionResult OnGet(string token) => tokens.IsValid(token) ? Page() : InvalidLink();

    public async Task<IActionResult> OnPostAsync(string token)
    {
        if (!tokens.IsValid(token))
        {
            return InvalidLink();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = new LabUser { UserName = Form.UserName };
        var created = await tokens.ConsumeAsync(token, async () =>
            AccountForm.Succeeded(await users.CreateAsync(user, Form.Password), ModelState)
            && AccountForm.Succeeded(await users.AddToRoleAsync(user, LabRoles.Admin), ModelState));
        if (!created)
        {
            return ModelState.IsValid ? InvalidLink() : Page();
        }

        await signIn.SignInAsync(user, isPersistent: false);
        return LocalRedirect("/");
    }

    /// <summary>Set when the link is unknown or already used: the page says so instead of showing the form.</summary>
    public bool LinkIsInvalid { get; private set; }

    private IActionResult InvalidLink()
    {
        LinkIsInvalid = true;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
