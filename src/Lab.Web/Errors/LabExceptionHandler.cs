using Lab.Runtime;
using Microsoft.AspNetCore.Diagnostics;

namespace Lab.Web.Errors;

/// <summary>Turns a <see cref="LabException"/> escaping an API endpoint into its status and
/// <c>{"message": ...}</c>. Page requests are left to the error page, which shows the same message.</summary>
internal sealed class LabExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        // By now the request's path is the error page's; the feature keeps the one that failed.
        var path = context.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? context.Request.Path;
        if (exception is not LabException lab || !ErrorsSetup.IsApiPath(path) || context.Response.HasStarted)
        {
            return false;
        }

        context.Response.StatusCode = ErrorStatus.Of(lab.Kind);
        await context.Response.WriteAsJsonAsync(new ErrorMessage(lab.Message), ct);
        return true;
    }
}
