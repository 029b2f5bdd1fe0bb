using Lab.Engine.Events;
using Lab.Engine.Http;

namespace Lab.Engine.Tests.Events;

/// <summary>The event bus alone: per-machine streams, the bounded history, one-step subscription.</summary>
public sealed class EngineEventsTests
{
    static readonly Func<EventMessage, bool> All = _ => true;

    [Fact]
    public void A_machine_sees_only_its_own_events()
    {
        var bus = new EngineEvents();
        bus.Publish("a", EventTypes.Volume, "create", "data");
        bus.Publish("b", EventTypes.Volume, "create", "other");

        using var a = bus.Subscribe("a", DateTimeOffset.MinValue, null, All);
        Assert.Equal(["data"], a.Past.Select(e => e.ActorId));
    }

    [Fact]
    public void History_keeps_the_last_256_events_in_order()
    {
        var bus = new EngineEvents();
        for (var i = 0; i < 300; i++) bus.Publish("m", EventTypes.Network, "create", $"n{i}");

        using var subscription = bus.Subscribe("m", DateTimeOffset.MinValue, null, All);
        Assert.Equal(EngineEvents.HistoryLimit, subscription.Past.Count);
        Assert.Equal("n44", subscription.Past[0].ActorId);
        Assert.Equal("n299", subscription.Past[^1].ActorId);
    }

    [Fact]
    public void Without_since_or_until_only_new_events_come()
    {
        var bus = new EngineEvents();
        bus.Publish("m", EventTypes.Image, "pull", "busybox:latest");
        using var subscription = bus.Subscribe("m", null, null, All);
        Assert.Empty(subscription.Past);
    }

    [Fact]
    public async Task Live_events_pass_the_filter_and_stop_with_the_bus()
    {
        var bus = new EngineEvents();
        var filter = EventFilter.Parse("""{"type":["volume"],"volume":["da"]}""");
        using var subscription = bus.Subscribe("m", null, null, filter.Includes);
        bus.Publish("m", EventTypes.Volume, "create", "data");
        bus.Publish("m", EventTypes.Volume, "create", "other");
        bus.Publish("m", EventTypes.Network, "create", "data");
        await bus.StopAsync(CancellationToken.None);

        var seen = new List<string>();
        await foreach (var e in subscription.LiveAsync(CancellationToken.None)) seen.Add($"{e.Type} {e.ActorId}");
        Assert.Equal(["volume data"], seen);
    }

    [Theory]
    [InlineData("""{"image":["busybox"]}""", true)]
    [InlineData("""{"image":["busybox:latest"]}""", true)]
    [InlineData("""{"image":["nginx"]}""", false)]
    [InlineData("""{"container":["c0ffee"]}""", true)]
    [InlineData("""{"container":["web"]}""", true)]
    [InlineData("""{"container":["db"]}""", false)]
    [InlineData("""{"label":["tier=front"]}""", true)]
    [InlineData("""{"label":["tier=back"]}""", false)]
    [InlineData("""{"event":["exec_start"]}""", false)]
    [InlineData("""{"type":["container"],"event":["start","die"]}""", true)]
    public void Filters_match_as_dockerd(string filters, bool included)
    {
        var e = new EventMessage(EventTypes.Container, "start", "c0ffee1234",
            new Dictionary<string, string> { ["name"] = "web-1", ["image"] = "busybox:latest", ["tier"] = "front" }, DateTimeOffset.UtcNow);
        Assert.Equal(included, EventFilter.Parse(filters).Includes(e));
    }

    [Fact]
    public void An_exec_event_matches_its_name_without_the_command()
    {
        var e = new EventMessage(EventTypes.Container, "exec_start: sh -c true", "c0ffee", new Dictionary<string, string>(), DateTimeOffset.UtcNow);
        Assert.True(EventFilter.Parse("""{"event":["exec_start"]}""").Includes(e));
    }

    [Fact]
    public void An_unknown_filter_is_invalid()
    {
        var error = Assert.Throws<Lab.Runtime.LabException>(() => EventFilter.Parse("""{"colour":["blue"]}"""));
        Assert.Equal(Lab.Runtime.ErrorKind.InvalidParameter, error.Kind);
    }
}
