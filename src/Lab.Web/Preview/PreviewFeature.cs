using Lab.Runtime.Containers;
using Lab.Runtime.Machines;
using Lab.Web.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;

namespace Lab.Web.Preview;

/// <summary>The browser preview of students' web apps. Routes (all need the sign-in cookie; only the machine's
/// owner and instructors pass <see cref="PreviewAccess"/>, anyone else gets 403):
/// <list type="bullet">
/// <item><c>/preview/{machine}/{port}/{**path}</c> — any method, and websockets: proxied to the machine's
/// <c>localhost:{port}</c> (a port published with <c>docker run -p</c>), from inside its network namespace;</item>
/// <item><c>GET /preview/{machine}/ports</c> — server-sent events: the machine's published ports, on each change.</item>
/// </list>
/// The common GET of an app's file is served before all of that by <see cref="PreviewFastPath"/>, with the same checks.
/// Needs the machines, containers and accounts of the app, plus <see cref="AddPreview"/>.</summary>
public static class PreviewFeature
{
    public static IServiceCollection AddPreview(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        // The runtime is looked up at the first connection, not here, so building the app never starts it.
        services.AddSingleton(provider => new MachineConnections(provider.GetRequiredService<MachineHost>));
        services.AddSingleton<PreviewForwarder>();
        services.AddSingleton<PreviewAccess>();
        services.AddSingleton<PreviewSessions>();
        services.AddSingleton<PreviewFastPath>();
        services.AddTransient<IStartupFilter, PreviewFastPath.StartupFilter>();
        return services;
    }

    public static RouteGroupBuilder MapPreview(this WebApplication app)
    {
        var connections = app.Services.GetRequiredService<MachineConnections>();
        var forwarder = app.Services.GetRequiredService<PreviewForwarder>();
        var websockets = new PreviewWebSockets(connections);
        var ports = new PublishedPorts(() => app.Services.GetRequiredService<ContainerHost>());
        var access = app.Services.GetRequiredService<PreviewAccess>();

        var group = app.MapGroup(PreviewPath.Root).RequireAuthorization();
        group.MapGet("/{machine}/ports", async (string machine, HttpContext context) =>
        {
            if (await RefusedAsync(context, access, machine, port: null))
            {
                return;
            }

            await ports.StreamAsync(context, machine, context.RequestAborted);
        });
        group.Map("/{machine}/{port:int:range(1,65535)}/{**path}", async (string machine, int port, HttpContext context) =>
        {
            var target = new PreviewPath(machine, port);
            if (await RefusedAsync(context, access, machine, port))
            {
                return;
            }

            if (context.Request.Path.Value == target.Prefix)
            {
                // Relative links of the app's home page resolve against its folder: /preview/m/8080/, not /preview/m/.
                context.Response.Redirect(target.Prefix + "/" + context.Request.QueryString);
                return;
            }

            if (context.WebSockets.IsWebSocketRequest)
            {
                await websockets.RelayAsync(context, target);
            }
            else
            {
                await forwarder.ForwardAsync(context, target);
            }
        });
        return group;
    }

    /// <summary>Writes the 404 or 403 page and returns true when the caller may not use this machine's preview.</summary>
    private static async Task<bool> RefusedAsync(HttpContext context, PreviewAccess access, string machine, int? port)
    {
        if (MachineName.IsValid(machine) && await access.MayUseAsync(context.User, machine, context.RequestAborted))
        {
            return false;
        }

        var text = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        if (!MachineName.IsValid(machine))
        {
            await PreviewProblemPage.WriteAsync(context, StatusCodes.Status404NotFound, text["This page does not exist."], "");
            return true;
        }

        await PreviewProblemPage.WriteAsync(context, StatusCodes.Status403Forbidden, text["You are not allowed to see this page."],
            port is null ? "" : text["Only the owner of a lab machine and their instructors can open its apps."]);
        return true;
    }
}
