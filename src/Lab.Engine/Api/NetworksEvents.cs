using Lab.Engine.Events;
using Lab.Runtime.Containers;
using Lab.Runtime.Networks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lab.Engine.Api;

/// <summary>The runtime's network changes on the events bus, as dockerd logs them (daemon/events.go,
/// LogNetworkEventWithAttributes): type "network", the network's id as the actor, attributes name and type (the
/// driver), and container (its full id) for connect and disconnect.</summary>
public static class NetworksEvents
{
    /// <summary>Listens while the Engine server runs (it may be built again over the same runtime, as in tests).</summary>
    public static void PublishNetworkEvents(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        if (services.GetService<ContainerHost>() is not { } containers || services.GetService<EngineEvents>() is not { } events)
        {
            return;
        }

        void OnChanged(NetworkEvent change) => events.Publish(change.Machine, EventTypes.Network, change.Action,
            change.Network.Id, Attributes(change), change.Time);
        containers.Networking.Changed += OnChanged;
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() => containers.Networking.Changed -= OnChanged);
    }

    public static IReadOnlyDictionary<string, string> Attributes(NetworkEvent change)
    {
        var attributes = new Dictionary<string, string> { ["name"] = change.Network.Name, ["type"] = change.Network.Driver };
        if (change.ContainerId is { } container)
        {
            attributes["container"] = container;
        }

        return attributes;
    }
}
