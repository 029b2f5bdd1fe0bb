using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Lab.Engine.Hosting;

/// <summary>Go's net/http, and so dockerd, cancels a plain request's context when the client's side of its
/// connection reaches EOF: that is how the wait the CLI leaves behind after `docker run -d` ends as soon as the CLI
/// exits. The engine's transport keeps half-closed connections open for hijacked streams (attach, exec), so here,
/// for requests that are not upgrades, the end of the client's input aborts the request (<see
/// cref="HttpContext.RequestAborted"/>). The response may still be written, as in Go: a client that half-closes
/// and still reads gets its answer from a handler that does not wait on the token.</summary>
public static class ClientGoneMiddleware
{
    public static async Task Invoke(HttpContext context, RequestDelegate next)
    {
        var inputEnd = context.Features.Get<IConnectionInputEndFeature>();
        var upgrade = context.Features.Get<IHttpUpgradeFeature>()?.IsUpgradableRequest == true;
        if (inputEnd is null || upgrade)
        {
            await next(context);
            return;
        }
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, inputEnd.InputEnded);
        context.RequestAborted = aborted.Token;
        await next(context);
    }
}
