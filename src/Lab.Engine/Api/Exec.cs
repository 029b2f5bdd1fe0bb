using System.Text.Json;
using Lab.Engine.Containers;
using Lab.Engine.Http;
using Lab.Engine.Streams;
using Lab.Runtime;
using Lab.Runtime.Containers;

namespace Lab.Engine.Api;

/// <summary><c>docker exec</c>: create (201 <c>{"Id"}</c>), start (hijacked unless detached), inspect (the exit
/// code the CLI returns), resize.</summary>
public static class Exec
{
    public sealed record CreateBody(bool AttachStdin, bool AttachStdout, bool AttachStderr, bool Tty, bool Privileged,
        IReadOnlyList<string>? Cmd, IReadOnlyList<string>? Env, string? WorkingDir, string? User, string? DetachKeys);

    public sealed record StartBody(bool Detach, bool Tty);

    public static async Task<IResult> Create(string id, Caller caller, ContainerHost containers, ExecStore execs, HttpContext context)
    {
        var body = await ReadAsync<CreateBody>(context) ?? throw EngineErrors.InvalidParameter("exec config cannot be empty");
        if (body.Privileged) throw new LabException(ErrorKind.Forbidden, "--privileged is not allowed in a lab machine");
        if (body.Cmd is not { Count: > 0 }) throw EngineErrors.InvalidParameter("No exec command specified");
        var record = containers.Get(caller.Machine, id);
        if (!record.State.Running) throw EngineErrors.Conflict($"Container {record.Id} is not running");
        if (record.State.Paused) throw EngineErrors.Conflict($"Container {record.Id} is paused, unpause the container before exec");
        var spec = new ExecSpec
        {
            Cmd = body.Cmd, Env = body.Env ?? [], Tty = body.Tty, AttachStdin = body.AttachStdin,
            User = string.IsNullOrEmpty(body.User) ? null : body.User,
            WorkingDir = string.IsNullOrEmpty(body.WorkingDir) ? null : body.WorkingDir,
        };
        var instance = execs.Add(caller.Machine, record.Id, spec, body.DetachKeys);
        return EngineJson.Result(new { instance.Id }, StatusCodes.Status201Created);
    }

    public static async Task Start(string id, Caller caller, ContainerHost containers, ExecStore execs, HttpContext context)
    {
        var instance = execs.Get(caller.Machine, id);
        var hijack = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpUpgradeFeature>()?.IsUpgradableRequest == true;
        // A hijacking client's body comes after the upgrade (see UpgradeBodyRewriter); a detached start has a plain body.
        var body = hijack ? null : await ReadAsync<StartBody>(context);
        if (!hijack && body is not { Detach: true })
            throw EngineErrors.InvalidParameter("exec start without Detach hijacks the connection: send \"Connection: Upgrade\" and \"Upgrade: tcp\"");
        instance.ClaimStart();
        if (!hijack)
        {
            instance.Started(await containers.ExecAsync(caller.Machine, instance.ContainerId, instance.Spec, ct: context.RequestAborted));
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        var keys = DetachKeys.Parse(instance.DetachKeys);
        var connection = await Hijack.UpgradeAsync(context, raw: instance.Spec.Tty);
        await using var hijacked = connection;
        var startBody = await Hijack.ReadBodyAsync(context, connection, CancellationToken.None);
        if (startBody.Length > 0 && JsonSerializer.Deserialize<StartBody>(startBody, CreateRequest.Json) is { Detach: true })
        {
            instance.Started(await containers.ExecAsync(caller.Machine, instance.ContainerId, instance.Spec, ct: CancellationToken.None));
            return; // detached: nothing to stream
        }
        var writer = new OutputWriter(connection, raw: instance.Spec.Tty);
        ExecProcess process;
        try
        {
            // The writer is the process's first subscriber: nothing it prints in its first instant is lost.
            process = await containers.ExecAsync(caller.Machine, instance.ContainerId, instance.Spec, writer.Post, CancellationToken.None);
        }
        catch (LabException e)
        {
            // The connection is already hijacked: dockerd reports a failed start on the stream itself (stdout, in
            // runc's words), and the exec's exit code is 126.
            instance.FailedToStart();
            var message = Lab.Engine.Containers.StartFailure.Worded(e).Message;
            await writer.WriteAsync(new LogEntry(DateTimeOffset.UtcNow, LogStream.Stdout, System.Text.Encoding.UTF8.GetBytes(message + "\n")), default);
            return;
        }
        instance.Started(process);
        {
            // Not RequestAborted: on a hijacked connection it fires when the client half-closes (no stdin).
            using var stop = new CancellationTokenSource();
            var output = writer.RunAsync(stop.Token);
            var detached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (instance.Spec.AttachStdin) _ = PumpInputAsync(process, connection, keys, detached, stop.Token);
            // The stream closes only after the process has exited, so the CLI's inspect right after finds its code.
            await Task.WhenAny(process.Exited, detached.Task);
            if (process.Exited.IsCompleted)
            {
                writer.Complete(); // its output was delivered before Exited completed
                await output.ContinueWith(_ => { }, TaskScheduler.Default);
            }
            stop.Cancel(); // detached or gone: the process runs on, unwatched
        }
    }

    /// <summary>Client → the process's stdin, watching for the detach keys; the client closing its side closes stdin.</summary>
    static async Task PumpInputAsync(ExecProcess process, Stream connection, DetachKeys keys, TaskCompletionSource detached,
        CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = await connection.ReadAsync(buffer, ct);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                return;
            }
            if (n == 0)
            {
                process.EndInput();
                return;
            }
            var (passOn, detach) = keys.Scan(buffer.AsSpan(0, n));
            if (passOn.Length > 0) process.WriteInput(passOn);
            if (detach)
            {
                detached.TrySetResult();
                return;
            }
        }
    }

    public static IResult Inspect(string id, Caller caller, ExecStore execs)
    {
        var e = execs.Get(caller.Machine, id);
        return EngineJson.Result(new Dictionary<string, object?>
        {
            ["ID"] = e.Id,
            ["Running"] = e.Running,
            ["ExitCode"] = e.ExitCode,
            ["ProcessConfig"] = new Dictionary<string, object?>
            {
                ["tty"] = e.Spec.Tty,
                ["entrypoint"] = e.Spec.Cmd[0],
                ["arguments"] = e.Spec.Cmd.Skip(1).ToList(),
                ["privileged"] = false,
                ["user"] = e.Spec.User ?? "",
            },
            ["OpenStdin"] = e.Spec.AttachStdin,
            ["OpenStderr"] = true,
            ["OpenStdout"] = true,
            ["CanRemove"] = false,
            ["ContainerID"] = e.ContainerId,
            ["DetachKeys"] = e.DetachKeys ?? "",
            ["Pid"] = e.Process?.Pid ?? 0,
        });
    }

    public static IResult Resize(string id, Caller caller, ExecStore execs, HttpContext context)
    {
        var e = execs.Get(caller.Machine, id);
        var (rows, cols) = ContainersLifecycle.Size(context);
        if (e.Process is null) throw EngineErrors.Conflict($"exec {id} is not running");
        e.Process.Resize(cols, rows);
        return Results.Ok();
    }

    static async Task<T?> ReadAsync<T>(HttpContext context)
    {
        if (context.Request.ContentLength == 0) return default;
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(context.Request.Body, CreateRequest.Json, context.RequestAborted);
        }
        catch (JsonException e) when (e.Message.Contains("The input does not contain any JSON tokens"))
        {
            return default;
        }
        catch (JsonException e)
        {
            throw EngineErrors.InvalidParameter($"invalid JSON: {e.Message}");
        }
    }
}
