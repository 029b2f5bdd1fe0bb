using Lab.Runtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lab.Web.Errors;

/// <summary>The page shown when a page request failed. A <see cref="LabException"/>'s message is meant for
/// users (it says what is wrong and what to do) and is shown; anything else is a bug and only logged.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string? Message { get; private set; }

    public void OnGet() => Describe();

    public void OnPost() => Describe();

    private void Describe()
    {
        if (HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error is LabException lab)
        {
            Message = lab.Message;
            Response.StatusCode = ErrorStatus.Of(lab.Kind);
        }
        else
        {
            Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
    }
}
