using Lab.Engine.Events;
using Lab.Engine.Http;
using Lab.Engine.Streams;
using Lab.Runtime;
using Lab.Runtime.Containers;

namespace Lab.Engine.Api;

/// <summary><c>POST /containers/{id}/attach</c>, hijacked (<see cref="Hijack"/>). `docker run` attaches before it
/// starts the container, so output is read from the container's log with follow — which holds everything from
/// the start, even a process that exits at once — skipping what the log held when the client attached (unless
/// <c>logs=1</c>). Input goes to the container's stdin, watching for the detach keys. The connection closes when
/// the container's output ends, or when the client detaches or goes away.</summary>
public static class ContainersAttach
{
    public static async Task Handle(string id, Caller caller, ContainerHost containers, HttpContext context)
    {
        var record = containers.Get(caller.Machine, id);
        var wantStdin = QueryBool.Get(context, "stdin");
        var options = new LogOptions { Follow = true, Stdout = QueryBool.Get(context, "stdout"), Stderr = QueryBool.Get(context, "stderr") };
        var stream = QueryBool.Get(context, "stream");
        var replay = QueryBool.Get(context, "logs");
        var detachKeys = DetachKeys.Parse(context.Request.Query["detachKeys"]);
        if (record.State.Paused) throw new LabException(ErrorKind.Conflict, $"container {record.Id} is paused, unpause the container before attach");
        context.RequestServices.GetRequiredService<Events.EngineEvents>().Container(record, "attach");

        // Watch for the start before answering: the client starts the container as soon as it has the 101.
        using var start = new StartWatch(containers, caller.Machine, record);
        var skip = replay ? 0 : await CountLogAsync(containers, caller.Machine, record.Id, context.RequestAborted);
        var connection = await Hijack.UpgradeAsync(context, raw: record.Spec.Tty);
        await using var _ = connection;
        // Not RequestAborted: on a hijacked connection it fires when the client half-closes (the CLI does so when it
        // sends no stdin). A client that went away shows as a failed write instead.
        using var done = new CancellationTokenSource();
        var ct = done.Token;
        try
        {
            if (stream) await start.WaitAsync(ct);
            var input = wantStdin && record.Spec.OpenStdin && stream
                ? PumpInputAsync(containers, caller.Machine, record.Id, connection, detachKeys, done)
                : Task.CompletedTask;
            var writer = new OutputWriter(connection, raw: record.Spec.Tty);
            var logOptions = stream ? options : options with { Follow = false };
            var index = 0;
            await foreach (var entry in containers.ReadLogsAsync(caller.Machine, record.Id, logOptions with { Stdout = true, Stderr = true }, ct))
            {
                if (index++ < skip || !logOptions.Accepts(entry)) continue;
                await writer.WriteAsync(entry, ct);
                await connection.FlushAsync(ct);
            }
            done.Cancel(); // output ended: stop reading the client's input
            await input.ContinueWith(_ => { }, TaskScheduler.Default);
        }
        catch (OperationCanceledException) { } // the client detached
        catch (IOException) { } // the client went away
    }




    static async Task<int> CountLogAsync(ContainerHost containers, string machine, string id, CancellationToken ct)
    {
        var count = 0;
        await foreach (var _ in containers.ReadLogsAsync(machine, id, new LogOptions(), ct)) count++;
        return count;
    }

    /// <summary>Completes once the container runs or has run since the watch began (a container that starts and
    /// exits at once still counts), or is gone, from the runtime's events.</summary>
    sealed class StartWatch : IDisposable
    {
        readonly ContainerHost _containers;
        readonly string _machine;
        readonly ContainerRecord _initial;
        readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public StartWatch(ContainerHost containers, string machine, ContainerRecord initial)
        {
            (_containers, _machine, _initial) = (containers, machine, initial);
            containers.Changed += OnChange;
        }

        void OnChange(ContainerEvent e)
        {
            if (e.Machine == _machine && e.Id == _initial.Id && e.Action is "start" or "destroy") _started.TrySetResult();
        }

        public Task WaitAsync(CancellationToken ct)
        {
            var now = _containers.Find(_machine, _initial.Id);
            if (now is null || now.State.Running || now.State.StartedAt != _initial.State.StartedAt) return Task.CompletedTask;
            return _started.Task.WaitAsync(ct);
        }

        public void Dispose() => _containers.Changed -= OnChange;
    }

    /// <summary>Client → container stdin. The detach keys end the session (the container keeps running); the
    /// client closing its side ends the container's stdin when it was started with StdinOnce (docker run -i).</summary>
    static async Task PumpInputAsync(ContainerHost containers, string machine, string id, Stream connection,
        DetachKeys keys, CancellationTokenSource done)
    {
        ContainerAttachment attachment;
        try
        {
            attachment = containers.Attach(machine, id, _ => { });
        }
        catch (LabException)
        {
            return; // it already exited: nothing to feed
        }
        using (attachment)
        {
            var buffer = new byte[16 * 1024];
            while (true)
            {
                int n;
                try
                {
                    n = await connection.ReadAsync(buffer, done.Token);
                }
                catch (Exception e) when (e is IOException or OperationCanceledException)
                {
                    return;
                }
                if (n == 0)
                {
                    attachment.EndInput();
                    return;
                }
                var (passOn, detach) = keys.Scan(buffer.AsSpan(0, n));
                if (passOn.Length > 0) attachment.WriteInput(passOn);
                if (detach)
                {
                    done.Cancel();
                    return;
                }
            }
        }
    }
}
