using Lab.Engine.Events;
using Lab.Engine.Http;
using Microsoft.AspNetCore.Http;

namespace Lab.Engine.Api;

/// <summary><c>GET /events?since=…&amp;until=…&amp;filters=…</c> (moby api/server/router/system getEvents): one
/// JSON object per line. With since or until, the remembered events in that window come first; with an until
/// in the past the answer ends there, with one in the future it ends then; otherwise it streams until the
/// client goes away.</summary>
public static class EventsStream
{
    public static async Task Handle(HttpContext context)
    {
        var caller = Caller.From(context);
        var query = context.Request.Query;
        var since = TimeOf(query["since"]);
        var until = TimeOf(query["until"]);
        if (until is not null && since is not null && until < since)
            throw EngineErrors.InvalidParameter($"`since` time ({query["since"]}) cannot be after `until` time ({query["until"]})");
        var filter = EventFilter.Parse(query["filters"]);
        var bus = context.RequestServices.GetRequiredService<EngineEvents>();

        using var subscription = bus.Subscribe(caller.Machine, since, until, filter.Includes);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.Body.FlushAsync(context.RequestAborted); // the CLI waits for the headers
        foreach (var e in subscription.Past)
            await WriteAsync(context, e);

        var now = DateTimeOffset.UtcNow;
        if (until is not null && until <= now) return;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        // A timer reaches 49 days at most; an until further away is as good as none.
        if (until is not null && until.Value - now < TimeSpan.FromDays(49)) stop.CancelAfter(until.Value - now);
        try
        {
            await foreach (var e in subscription.LiveAsync(stop.Token))
                await WriteAsync(context, e);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // until reached, or the client left: the stream just ends
        }
    }

    static async Task WriteAsync(HttpContext context, EventMessage e)
    {
        await context.Response.Body.WriteAsync(e.ToJson(), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>dockerd's eventTime: empty is no bound; else unix seconds(.nanoseconds), which is what the CLI
    /// sends after turning "10m" or a date into a timestamp (durations and dates are accepted too).</summary>
    static DateTimeOffset? TimeOf(string? text) => string.IsNullOrEmpty(text) ? null : Timestamps.Parse(text);
}
