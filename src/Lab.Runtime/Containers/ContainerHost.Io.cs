using System.Runtime.CompilerServices;
using Lab.Runtime.Cgroups;
using Lab.Runtime.Native;

namespace Lab.Runtime.Containers;

public sealed partial class ContainerHost
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, List<ContainerAttachment>> _pendingAttach = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ContainerLog> _logs = new();

    /// <summary>`docker logs`: what is kept, filtered by time and tail, then (with follow) what comes next until
    /// the container stops.</summary>
    public async IAsyncEnumerable<LogEntry> ReadLogsAsync(string machine, string idOrName, LogOptions options,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var record = Get(machine, idOrName);
        var log = LogOf(record);
        var queue = System.Threading.Channels.Channel.CreateUnbounded<LogEntry>();
        _live.TryGetValue(Key(record), out var live);
        IDisposable? subscription = null;
        var kept = log.Locked(() =>
        {
            if (options.Follow && live is not null) subscription = live.Io.Subscribe(e => queue.Writer.TryWrite(e));
            return log.ReadAll();
        });
        using (subscription)
        {
            IEnumerable<LogEntry> selected = kept.Where(options.Accepts);
            if (options.Tail is int tail) selected = selected.TakeLast(tail);
            foreach (var entry in selected) yield return entry;
            if (subscription is null) yield break;
            _ = live!.Exited.Task.ContinueWith(_ => queue.Writer.TryComplete(), TaskScheduler.Default);
            await foreach (var entry in queue.Reader.ReadAllAsync(ct))
            {
                if (options.Until is { } until && entry.Time > until) yield break;
                if (options.Accepts(entry)) yield return entry;
            }
        }
    }

    /// <summary>`docker attach` (and the output side of `docker run` without -d): output from now on goes to
    /// <paramref name="onOutput"/>; input goes to the container's stdin when it is open. Attaching to a container
    /// that is not running yet (docker run attaches before it starts) takes effect at its next start, from its
    /// first byte.</summary>
    public ContainerAttachment Attach(string machine, string idOrName, Action<LogEntry> onOutput)
    {
        var record = Get(machine, idOrName);
        var attachment = new ContainerAttachment(onOutput, record.Spec.StdinOnce);
        lock (_pendingAttach)
        {
            if (_live.TryGetValue(Key(record), out var live)) attachment.Connect(live.Io, live.Exited.Task, subscribe: true);
            else _pendingAttach.GetOrAdd(Key(record), _ => []).Add(attachment);
        }
        return attachment;
    }

    // The attachments waiting for this start: they get the container's output from its first byte.
    private List<ContainerAttachment> TakePendingAttachments(string key)
    {
        lock (_pendingAttach)
            return _pendingAttach.TryRemove(key, out var pending) ? pending.Where(a => !a.Detached).ToList() : [];
    }

    public void Resize(string machine, string idOrName, ushort cols, ushort rows)
    {
        var record = Get(machine, idOrName);
        if (!_live.TryGetValue(Key(record), out var live))
            throw new LabException(ErrorKind.Conflict, $"Container {record.Id} is not running");
        live.Io.Resize(cols, rows);
    }

    /// <summary>`docker stats` from the container's cgroup (below its machine's).</summary>
    public CgroupStats Stats(string machine, string idOrName)
    {
        var record = Get(machine, idOrName);
        if (!record.State.Running) throw new LabException(ErrorKind.Conflict, $"Container {record.Id} is not running");
        return _machines.Cgroups.ReadStats(record.CgroupName);
    }

    /// <summary>`docker top`: the container's processes (host pids, as dockerd shows them).</summary>
    public IReadOnlyList<ProcessRow> Top(string machine, string idOrName)
    {
        var record = Get(machine, idOrName);
        if (!_live.TryGetValue(Key(record), out var live))
            throw new LabException(ErrorKind.Conflict, $"Container {record.Id} is not running");
        var dirs = _machines.Cgroups.PathsOf(record.CgroupName);
        var pids = dirs.Count > 0 ? CgroupFiles.ProcsRecursive(dirs[0]) : [];
        return pids.Order().Select(ProcessRow.Read).OfType<ProcessRow>().ToList();
    }

    /// <summary>`docker exec`: another process in a running container's namespaces and cgroup, with the
    /// container's environment under the exec's own, as its user unless <see cref="ExecSpec.User"/> says otherwise.</summary>
    public async Task<ExecProcess> ExecAsync(string machine, string idOrName, ExecSpec spec,
        Action<LogEntry>? onOutput = null, CancellationToken ct = default)
    {
        var record = Get(machine, idOrName);
        if (!_live.TryGetValue(Key(record), out var live) || record.State.Paused)
            throw new LabException(ErrorKind.Conflict,
                record.State.Paused ? $"Container {record.Id} is paused, unpause the container before exec"
                                    : $"Container {record.Id} is not running");
        if (spec.Cmd.Count == 0) throw new LabException(ErrorKind.InvalidParameter, "No exec command specified");
        var user = ImageUsers.Resolve(spec.User ?? record.Config.User, record.Layers);
        var env = ConfigMerge.MergeEnv(ConfigMerge.ProcessEnv(record.Config, spec.Tty), spec.Env);
        var cwd = spec.WorkingDir ?? (string.IsNullOrEmpty(record.Config.WorkingDir) ? "/" : record.Config.WorkingDir);
        var args = _machines.Helper.ExecArgs(live.Pid, _machines.Cgroups.PathsOf(record.CgroupName), env, cwd, spec.Tty,
            spec.Cmd, user);
        return await ExecProcess.StartAsync(_machines.Helper, _machines.Loop, args, spec, onOutput, ct);
    }

    // One log object per container: its lock is what lets a follower read what is kept and subscribe to what
    // comes next without losing or repeating an entry.
    private ContainerLog LogOf(ContainerRecord record) =>
        _logs.GetOrAdd(Key(record), _ => new ContainerLog(_store.DirectoryOf(record.Machine, record.Id)));
}

/// <summary>Which entries `docker logs` shows.</summary>
public sealed record LogOptions
{
    public bool Follow { get; init; }
    public bool Stdout { get; init; } = true;
    public bool Stderr { get; init; } = true;
    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }
    public int? Tail { get; init; }

    public bool Accepts(LogEntry entry) =>
        (entry.Stream == LogStream.Stderr ? Stderr : Stdout)
        && (Since is not { } since || entry.Time >= since)
        && (Until is not { } until || entry.Time <= until);
}
