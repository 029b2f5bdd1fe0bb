using System.Collections.Concurrent;
using System.Threading.Channels;
using Lab.Runtime.Containers;
using Microsoft.Extensions.Hosting;

namespace Lab.Engine.Events;

/// <summary>The engine's event bus, one stream per machine: what <c>docker events</c> shows. Containers' changes
/// come from <see cref="ContainerHost.Changed"/>; images, volumes, networks and the builder publish theirs with
/// one call, <see cref="Publish"/>. Each machine keeps its last <see cref="HistoryLimit"/> events for
/// <c>--since</c>, as dockerd keeps 256. A subscriber's filter is applied as events are published; one too slow to read loses its oldest pending events rather
/// than holding anyone up.</summary>
public sealed class EngineEvents(ContainerHost? containers = null) : IHostedService
{
    public const int HistoryLimit = 256;
    const int PendingLimit = 1024; // dockerd's per-subscriber buffer

    readonly ConcurrentDictionary<string, MachineStream> _machines = new(StringComparer.Ordinal);

    /// <summary>Records an event of <paramref name="machine"/> and hands it to its subscribers.
    /// <paramref name="attributes"/> are dockerd's Actor.Attributes (name, image, labels...).</summary>
    public void Publish(string machine, string type, string action, string actorId,
        IReadOnlyDictionary<string, string>? attributes = null, DateTimeOffset? time = null) =>
        StreamOf(machine).Add(new EventMessage(type, action, actorId,
            attributes ?? new Dictionary<string, string>(), time ?? DateTimeOffset.UtcNow));

    /// <summary>Listens to <paramref name="machine"/>: the remembered events between <paramref name="since"/>
    /// and <paramref name="until"/> that <paramref name="include"/> accepts, then every new accepted one.
    /// Taken in one step, so no event is missed or seen twice between the two.</summary>
    public EventSubscription Subscribe(string machine, DateTimeOffset? since, DateTimeOffset? until, Func<EventMessage, bool> include) =>
        StreamOf(machine).Subscribe(since, until, include);

    /// <summary>Subscribers of <paramref name="machine"/> now (/info's NEventsListener).</summary>
    public int ListenerCount(string machine) => _machines.TryGetValue(machine, out var stream) ? stream.ListenerCount : 0;

    MachineStream StreamOf(string machine) => _machines.GetOrAdd(machine, _ => new MachineStream());

    void OnContainerChanged(ContainerEvent e) =>
        Publish(e.Machine, EventTypes.Container, e.Action, e.Id, e.Attributes, e.Time);

    public Task StartAsync(CancellationToken ct)
    {
        if (containers is not null) containers.Changed += OnContainerChanged;
        return Task.CompletedTask;
    }

    /// <summary>Ends every live stream, so open <c>docker events</c> requests finish and the server can stop.</summary>
    public Task StopAsync(CancellationToken ct)
    {
        if (containers is not null) containers.Changed -= OnContainerChanged;
        foreach (var stream in _machines.Values) stream.Close();
        return Task.CompletedTask;
    }

    sealed class MachineStream
    {
        readonly Lock _lock = new();
        readonly Queue<EventMessage> _history = new();
        readonly List<(Channel<EventMessage> Channel, Func<EventMessage, bool> Include)> _listeners = [];

        public int ListenerCount
        {
            get { lock (_lock) return _listeners.Count; }
        }

        public void Add(EventMessage e)
        {
            lock (_lock)
            {
                _history.Enqueue(e);
                if (_history.Count > HistoryLimit) _history.Dequeue();
                foreach (var (channel, include) in _listeners)
                    if (include(e)) channel.Writer.TryWrite(e);
            }
        }

        public EventSubscription Subscribe(DateTimeOffset? since, DateTimeOffset? until, Func<EventMessage, bool> include)
        {
            var channel = Channel.CreateBounded<EventMessage>(new BoundedChannelOptions(PendingLimit)
            {
                FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
            });
            lock (_lock)
            {
                // dockerd replays history only when since or until is given.
                var past = since is null && until is null
                    ? []
                    : _history.Where(e => (since is null || e.Time >= since) && (until is null || e.Time <= until) && include(e)).ToList();
                _listeners.Add((channel, include));
                return new EventSubscription(past, channel.Reader, () =>
                {
                    lock (_lock) _listeners.RemoveAll(l => l.Channel == channel);
                });
            }
        }

        public void Close()
        {
            lock (_lock)
                foreach (var (channel, _) in _listeners) channel.Writer.TryComplete();
        }
    }
}

/// <summary>One <c>docker events</c> listener: the remembered events, then the live ones it accepts. Dispose
/// to stop listening.</summary>
public sealed class EventSubscription(IReadOnlyList<EventMessage> past, ChannelReader<EventMessage> live,
    Action unsubscribe) : IDisposable
{
    public IReadOnlyList<EventMessage> Past => past;

    /// <summary>Live events the filter accepts, until <paramref name="ct"/> or the bus stops.</summary>
    public async IAsyncEnumerable<EventMessage> LiveAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var e in live.ReadAllAsync(ct))
            yield return e;
    }

    public void Dispose() => unsubscribe();
}
