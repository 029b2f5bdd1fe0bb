using Lab.Engine.Api;
using Lab.Engine.Containers;
using Lab.Engine.Events;
using Lab.Runtime.Containers;
using Lab.Engine.Http;
using Lab.Engine.Identity;
using Lab.Engine.Images;
using Lab.Runtime;
using Lab.Runtime.Machines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Lab.Engine.Hosting;

/// <summary>The Engine API as its own small web application, listening only on its unix socket: none of its
/// routes exist on the web port, and none of the web app's middleware (cookies, antiforgery, pages) exists here.
/// Request pipeline: errors → client gone → API version → caller's machine → route.</summary>
public static class EngineServer
{
    /// <param name="socketPath">The socket to listen on (<see cref="EngineSocket"/> prepares its directory).</param>
    /// <param name="callers">Who is calling: <see cref="CgroupCallerResolver"/> in production; tests inject theirs.</param>
    public static WebApplication Build(string socketPath, RuntimeOptions runtime, MachineHost machines,
        ContainerHost containers, ICallerResolver callers, Action<IServiceCollection>? configure = null,
        PullSource? pulls = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EngineServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false; // the version middleware sets dockerd's kind of Server header
            kestrel.ListenUnixSocket(socketPath);
        });
        // Requests still open at a stop are waits, follows and attaches with nothing more to say (the CLI's `run -d`
        // leaves its wait behind): like dockerd, close them rather than hold the stop for the default 30 s.
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
        // Kestrel's own socket transport aborts a response when the client half-closes; Docker clients do that.
        builder.Services.AddSingleton<Microsoft.AspNetCore.Connections.IConnectionListenerFactory, HalfCloseTransportFactory>();
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton<IMachineHost>(machines);
        builder.Services.AddSingleton(containers);
        builder.Services.AddSingleton(callers);
        builder.Services.AddSingleton<ContainerImageUsers>();
        builder.Services.AddSingleton<IImageUsers>(provider => provider.GetRequiredService<ContainerImageUsers>());
        builder.Services.AddSingleton<IContainerCounts>(provider => provider.GetRequiredService<ContainerImageUsers>());
        builder.Services.AddSingleton<ExecStore>();
        builder.Services.AddSingleton<ImageCatalog>();
        builder.Services.AddSingleton(pulls ?? new PullSource(() => null));
        builder.Services.AddEngineEvents();
        builder.Services.AddSingleton<IVolumeDiskUsage, SystemDfVolumes>();
        configure?.Invoke(builder.Services);

        var app = builder.Build();
        var catalog = app.Services.GetRequiredService<ImageCatalog>();
        containers.Images.Untagged = machine => catalog.For(machine).Dangling.Load();
        containers.Images.Cached = machine => Lab.Engine.Build.BuildCache.ForMachine(runtime.DataDir, machine, containers.Images).Targets();
        catalog.Charge = MachineLayerCharge.Attach(machines, containers.Images);
        app.Use(EngineErrors.Middleware);
        app.Use(ClientGoneMiddleware.Invoke);
        app.Use(ApiVersionMiddleware.Invoke);
        app.Use(CallerMiddleware.Invoke);
        app.UseRouting();
        app.MapSystem();
        app.MapImages();
        app.MapContainers();
        app.MapVolumes();
        app.MapNetworks();
        app.MapBuild();
        // dockerd's answer to an unknown route.
        app.MapFallback(context => EngineErrors.WriteAsync(context, StatusCodes.Status404NotFound, "page not found"));
        return app;
    }
}
