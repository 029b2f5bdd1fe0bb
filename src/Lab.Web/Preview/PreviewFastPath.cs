namespace Lab.Web.Preview;

/// <summary>The common case of the preview, served ahead of the web app's pipeline: a signed-in visitor allowed
/// on the machine GETs (or HEADs) a file of a student's app. Such a request needs none of what Lab's pages need
/// (status pages, localization, static files, routing among hundreds of endpoints, antiforgery), and the session
/// check is remembered (<see cref="PreviewSessions"/>); on a small file this doubles the proxy's throughput.
/// Everything else falls through to the routes of <see cref="PreviewFeature"/>, which answer it with the same
/// checks in full: no or a bad cookie (401 or the sign-in page), another user's machine (403), websockets,
/// requests with a body, and an unreachable app (whose localized error page needs the visitor's culture).</summary>
public sealed class PreviewFastPath(PreviewSessions sessions, PreviewAccess access, PreviewForwarder forwarder)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0
            || request.Headers.Upgrade.Count > 0 // websockets: the WebSockets middleware, later, knows them
            || !PreviewPath.TryParse(request.Path, out var target)
            || await sessions.UserAsync(context) is not { } user
            || !await access.MayUseAsync(user, target.Machine, context.RequestAborted))
        {
            await next(context);
            return;
        }

        context.User = user;
        if (!await forwarder.TryForwardAsync(context, target))
        {
            await next(context); // nothing answered: the route writes the page saying so, in the visitor's language
        }
    }

    /// <summary>Puts the fast path first, before the app's own middleware.</summary>
    public sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            var fastPath = app.ApplicationServices.GetRequiredService<PreviewFastPath>();
            app.Use(fastPath.InvokeAsync);
            next(app);
        };
    }
}
