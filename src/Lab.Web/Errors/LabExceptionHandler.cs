using Lab.Runtime;
using Microsoft.AspNetCore.Diagnostics;

namespace Lab.Web.Errors;

/// <summary>Turns a <see cref="LabException"/> escaping an API endpoint into its status and
/// <c>{"message": ...}</c>. Page requests are left to the error page, which shows the same message.</summary>
internal sealed class LabExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        if (exception is not LabException lab || !ErrorsSetup.IsApiRequest(context.Request) || context.Response.HasStarted)
        {
            return false;
        }

        context.Response.StatusCode = ErrorStatus.Of(lab.Kind);
        await context.Response.WriteAsJsonAsync(new ErrorMessage(lab.Message), ct);
        return true;
    }
}
