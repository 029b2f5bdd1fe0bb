using Microsoft.AspNetCore.Http.Features;

namespace Lab.Engine.Streams;

/// <summary>dockerd's connection hijack for attach and exec start: a request with <c>Upgrade: tcp</c> gets
/// <c>101 UPGRADED</c> (Content-Type says whether the stream is raw or multiplexed), then the connection carries the
/// container's stdin one way and its output the other. Every client in use (CLI 20.10 and 28, docker-py) asks for
/// the upgrade; without it the connection cannot carry stdin, so such a request is refused.</summary>
public static class Hijack
{
    public static async Task<Stream> UpgradeAsync(HttpContext context, bool raw)
    {
        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        if (upgrade is null || !upgrade.IsUpgradableRequest)
            throw Http.EngineErrors.InvalidParameter(
                "this endpoint hijacks the connection: send the request with \"Connection: Upgrade\" and \"Upgrade: tcp\"");
        context.Response.Headers.ContentType = raw ? StdCopy.RawContentType : StdCopy.MultiplexedContentType;
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "tcp";
        var delivery = context.Features.Get<Hosting.IConnectionDeliveryFeature>();
        var sentBeforeHead = delivery?.SentBytes ?? 0;
        return new HijackedStream(await upgrade.UpgradeAsync(), delivery, sentBeforeHead);
    }

    /// <summary>The request body of a hijacked request, which arrives at the start of the upgraded stream (see
    /// <see cref="Hosting.UpgradeBodyRewriter"/>); empty when the request had none.</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpContext context, Stream upgraded, CancellationToken ct)
    {
        if (!long.TryParse(context.Request.Headers[Hosting.UpgradeBodyRewriter.BodyLengthHeader], out var length) || length <= 0)
            return [];
        if (length > 1 << 20) throw Http.EngineErrors.InvalidParameter("request body is too large");
        var body = new byte[length];
        await upgraded.ReadExactlyAsync(body, ct);
        return body;
    }
}
