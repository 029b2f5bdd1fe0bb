using System.Collections.Concurrent;
using Lab.Engine.Events;
using Lab.Engine.Http;
using Lab.Runtime;
using Lab.Runtime.Containers;

namespace Lab.Engine.Containers;

/// <summary>Exec instances between <c>docker exec</c>'s create and start, and after (for inspect's exit code).
/// Kept in memory as dockerd keeps them; an instance belongs to one machine and is invisible to others.</summary>
public sealed class ExecStore(ContainerHost containers, EngineEvents events)
{
    readonly ConcurrentDictionary<string, ExecInstance> _instances = new(StringComparer.Ordinal);

    public ExecInstance Add(string machine, string containerId, ExecSpec spec, string? detachKeys)
    {
        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var instance = new ExecInstance(id, machine, containerId, spec, detachKeys, (action, extra) =>
        {
            if (containers.Find(machine, containerId) is { } record)
                events.Container(record, action, [("execID", id), .. extra]);
        });
        _instances[instance.Id] = instance;
        instance.Raise(ContainerEvents.ExecAction("exec_create", spec));
        Prune();
        return instance;
    }

    public ExecInstance Get(string machine, string id) =>
        _instances.TryGetValue(id, out var instance) && instance.Machine == machine
            ? instance
            : throw new LabException(ErrorKind.NotFound, $"No such exec instance: {id}");

    /// <summary>Finished instances are forgotten after a while (dockerd drops them with their container).</summary>
    void Prune()
    {
        var old = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10);
        foreach (var (id, instance) in _instances)
            if (instance.ExitedAt is { } exited && exited < old) _instances.TryRemove(id, out _);
    }
}

/// <summary>One exec: its spec, and once started its process, exit code and time. Its create, start and end are
/// container events (exec_create, exec_start, exec_die), as dockerd logs them.</summary>
public sealed class ExecInstance(string id, string machine, string containerId, ExecSpec spec, string? detachKeys,
    Action<string, (string Key, string Value)[]>? raise = null)
{
    int _started;

    public string Id => id;
    public string Machine => machine;
    public string ContainerId => containerId;
    public ExecSpec Spec => spec;
    public string? DetachKeys => detachKeys;
    public ExecProcess? Process { get; private set; }
    /// <summary>Read from the process itself, so it is there the moment its stream ends (the CLI asks right then).</summary>
    public int? ExitCode => _failedToStart ? 126 : Process?.Exited is { IsCompleted: true } exited
        ? exited.IsCompletedSuccessfully ? exited.Result : 126
        : null;
    bool _failedToStart;

    /// <summary>The command could not be exec'd (not found, not executable): dockerd's exit code is then 126.</summary>
    public void FailedToStart()
    {
        _failedToStart = true;
        ExitedAt = DateTimeOffset.UtcNow;
    }
    public DateTimeOffset? ExitedAt { get; private set; }
    public bool Running => Process is not null && ExitCode is null;

    /// <summary>An exec runs once; a second start is dockerd's conflict.</summary>
    public void ClaimStart()
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
            throw EngineErrors.Conflict($"Error: Exec command {id} is already running");
    }

    public void Started(ExecProcess process)
    {
        Process = process;
        Raise(ContainerEvents.ExecAction("exec_start", spec));
        _ = process.Exited.ContinueWith(_ =>
        {
            ExitedAt = DateTimeOffset.UtcNow;
            Raise("exec_die", ("exitCode", (ExitCode ?? 126).ToString()));
        }, TaskScheduler.Default);
    }

    internal void Raise(string action, params (string Key, string Value)[] extra) => raise?.Invoke(action, extra);
}
