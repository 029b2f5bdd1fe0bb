namespace Lab.Runtime.Networks;

/// <summary>One change of a machine's network, as `docker events` reports it (moby's LogNetworkEvent): the
/// network, the action, and for connect/disconnect the container's id.</summary>
public sealed record NetworkEvent(string Machine, NetworkRecord Network, string Action, string? ContainerId, DateTimeOffset Time);
