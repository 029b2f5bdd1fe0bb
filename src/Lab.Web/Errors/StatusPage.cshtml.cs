using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Lab.Web.Errors;

/// <summary>Pages for bare error statuses (404 and friends), re-executed by the status code pages middleware.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class StatusPageModel : PageModel
{
    public int Code { get; private set; }

    public void OnGet(int code) => Code = code;

    public void OnPost(int code) => Code = code;
}
