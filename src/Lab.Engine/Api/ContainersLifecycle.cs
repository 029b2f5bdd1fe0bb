using Lab.Engine.Events;
using Lab.Engine.Http;
using Lab.Runtime.Containers;

namespace Lab.Engine.Api;

/// <summary>The small container verbs: start, wait, stop, kill, restart, pause, unpause, rename, resize, rm,
/// prune. Statuses as dockerd: 204, or 304 when start/stop find the container already so.</summary>
public static class ContainersLifecycle
{
    public static async Task<IResult> Start(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        var container = containers.Get(caller.Machine, id);
        if (container.State.Running) return Results.StatusCode(StatusCodes.Status304NotModified);
        try
        {
            await containers.StartAsync(caller.Machine, id, context.RequestAborted);
        }
        catch (Lab.Runtime.LabException failure)
        {
            // As dockerd: a --rm container that could not start is removed with its anonymous volumes. `docker run
            // --rm` waits for that removal before it exits (127 for a command not found): without it, it hangs.
            if (container.Spec.AutoRemove)
            {
                await containers.RemoveAsync(caller.Machine, container.Id, force: true, CancellationToken.None);
                await containers.Volumes.RemoveAnonymousOfAsync(container, CancellationToken.None);
            }
            throw Lab.Engine.Containers.StartFailure.Worded(failure);
        }
        return Results.NoContent();
    }

    /// <summary>Headers go out at once (clients wait on the body); the body is <c>{"StatusCode": n}</c> once the
    /// condition holds.</summary>
    public static async Task Wait(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        var condition = context.Request.Query["condition"].ToString();
        var waiting = containers.WaitAsync(caller.Machine, id, condition, context.RequestAborted);
        if (waiting.IsFaulted) await waiting; // a bad condition or an unknown container: a proper error status
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var code = await waiting;
        await context.Response.WriteAsync($"{{\"StatusCode\":{code}}}\n", context.RequestAborted);
    }

    public static async Task<IResult> Stop(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        if (!containers.Get(caller.Machine, id).State.Running) return Results.StatusCode(StatusCodes.Status304NotModified);
        await containers.StopAsync(caller.Machine, id, Timeout(context), context.RequestAborted);
        return Results.NoContent();
    }

    public static async Task<IResult> Kill(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        var signal = context.Request.Query["signal"].ToString();
        await containers.KillAsync(caller.Machine, id, string.IsNullOrEmpty(signal) ? "SIGKILL" : signal, context.RequestAborted);
        return Results.NoContent();
    }

    public static async Task<IResult> Restart(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        await containers.RestartAsync(caller.Machine, id, Timeout(context), context.RequestAborted);
        return Results.NoContent();
    }

    public static async Task<IResult> Pause(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        await containers.PauseAsync(caller.Machine, id, context.RequestAborted);
        return Results.NoContent();
    }

    public static async Task<IResult> Unpause(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        await containers.UnpauseAsync(caller.Machine, id, context.RequestAborted);
        return Results.NoContent();
    }

    public static async Task<IResult> Rename(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        await containers.RenameAsync(caller.Machine, id, context.Request.Query["name"].ToString(), context.RequestAborted);
        return Results.NoContent();
    }

    public static IResult Resize(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        var (rows, cols) = Size(context);
        containers.Resize(caller.Machine, id, cols, rows);
        context.RequestServices.GetRequiredService<Events.EngineEvents>()
            .Container(containers.Get(caller.Machine, id), "resize", ("height", rows.ToString()), ("width", cols.ToString()));
        return Results.Ok();
    }

    public static async Task<IResult> Remove(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        if (QueryBool.Get(context, "link")) throw EngineErrors.InvalidParameter("links are not supported in a lab machine");
        var removed = containers.Get(caller.Machine, id);
        await containers.RemoveAsync(caller.Machine, id, QueryBool.Get(context, "force"), context.RequestAborted);
        if (QueryBool.Get(context, "v")) await containers.Volumes.RemoveAnonymousOfAsync(removed, context.RequestAborted); // rm -v
        return Results.NoContent();
    }

    public static async Task<IResult> Prune(Caller caller, ContainerHost containers, string? filters, HttpContext context)
    {
        var parsed = Filters.Parse(filters, "label", "until");
        var until = parsed.Get("until").Select(Timestamps.Parse).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        var deleted = new List<string>();
        foreach (var c in containers.List(caller.Machine))
        {
            if (c.State.Running || c.State.Restarting || c.Created > until || !parsed.MatchLabels("label", c.Config.Labels)) continue;
            await containers.RemoveAsync(caller.Machine, c.Id, ct: context.RequestAborted);
            deleted.Add(c.Id);
        }
        return EngineJson.Result(new { ContainersDeleted = deleted.Count == 0 ? null : deleted, SpaceReclaimed = 0L });
    }

    /// <summary>The <c>t</c> query parameter (seconds; -1 waits forever as in dockerd, kept as a long wait).</summary>
    static TimeSpan? Timeout(HttpContext context)
    {
        var t = context.Request.Query["t"].ToString();
        if (t.Length == 0) return null;
        if (!int.TryParse(t, out var seconds)) throw EngineErrors.InvalidParameter($"invalid value for t: \"{t}\"");
        return seconds < 0 ? TimeSpan.FromDays(1) : TimeSpan.FromSeconds(seconds);
    }

    public static (ushort Rows, ushort Cols) Size(HttpContext context)
    {
        if (!ushort.TryParse(context.Request.Query["h"], out var h) || !ushort.TryParse(context.Request.Query["w"], out var w))
            throw EngineErrors.InvalidParameter("invalid terminal size: h and w must be numbers from 0 to 65535");
        return (h, w);
    }
}
