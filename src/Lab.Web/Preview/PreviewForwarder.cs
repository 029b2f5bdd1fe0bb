using Microsoft.AspNetCore.Http.Features;

namespace Lab.Web.Preview;

/// <summary>Forwards one HTTP request to a student's app and its response back, both bodies streamed (a large
/// download or upload is never held in memory; chunked bodies stay chunked).</summary>
public sealed class PreviewForwarder(MachineConnections connections)
{
    public async Task ForwardAsync(HttpContext context, PreviewPath target)
    {
        var (response, error) = await SendAsync(context, target);
        if (error is not null)
        {
            await PreviewFailure.WriteAsync(context, target, error);
            return;
        }

        await CopyResponseAsync(context, target, response!);
    }

    /// <summary>Forwards the request, or returns false without writing anything when the app cannot be reached.</summary>
    public async Task<bool> TryForwardAsync(HttpContext context, PreviewPath target)
    {
        var (response, error) = await SendAsync(context, target);
        if (error is not null)
        {
            return false;
        }

        await CopyResponseAsync(context, target, response!);
        return true;
    }

    private async Task<(HttpResponseMessage? Response, Exception? Unreachable)> SendAsync(HttpContext context, PreviewPath target)
    {
        var ct = context.RequestAborted;
        var request = new HttpRequestMessage(new HttpMethod(context.Request.Method),
            MachineConnections.UpstreamUri(target, target.UpstreamTarget(context)))
        {
            Version = System.Net.HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            // The app decides what it accepts; Kestrel's 30 MB default is for Lab's own forms.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = null;
            }

            request.Content = new StreamContent(context.Request.Body);
        }

        PreviewHeaders.CopyRequestHeaders(context, target, request);

        try
        {
            return (await connections.Invoker.SendAsync(request, ct), null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && PreviewFailure.IsUnreachable(e))
        {
            request.Dispose();
            return (null, e);
        }
    }

    private static async Task CopyResponseAsync(HttpContext context, PreviewPath target, HttpResponseMessage response)
    {
        var ct = context.RequestAborted;
        using var request = response.RequestMessage;
        using (response)
        {
            PreviewProblemPage.DisableStatusPages(context);
            context.Response.StatusCode = (int)response.StatusCode;
            PreviewHeaders.CopyResponseHeaders(response, context, target);
            if (HttpMethods.IsHead(context.Request.Method))
            {
                return;
            }

            await using var body = await response.Content.ReadAsStreamAsync(ct);
            try
            {
                await body.CopyToAsync(context.Response.Body, ct);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
            {
                // The app closed mid-body: the browser must see a broken response, not a short complete one.
                context.Abort();
            }
        }
    }
}
