using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lab.Web.Accounts;

/// <summary>Sign-out is a POST (the header's button); a GET shows that button, so a link cannot sign anyone out.</summary>
public sealed class SignOutModel(SignInManager<LabUser> signIn) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return LocalRedirect(AccountsSetup.SignInPath);
    }
}
