using Microsoft.Extensions.DependencyInjection;

namespace Lab.Engine.Events;

/// <summary>The Engine server's one line for events: the bus as a singleton that starts with the server (so it
/// hears containers from the first moment, before anyone asks for <c>docker events</c>).</summary>
public static class EventsSetup
{
    public static IServiceCollection AddEngineEvents(this IServiceCollection services)
    {
        services.AddSingleton(provider => new EngineEvents(provider.GetService<Lab.Runtime.Containers.ContainerHost>()));
        services.AddHostedService(provider => provider.GetRequiredService<EngineEvents>());
        return services;
    }
}
