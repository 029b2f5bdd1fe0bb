using Lab.Runtime.Containers;
using Lab.Runtime.Machines;
using Lab.Web.Localization;
using Microsoft.Extensions.Localization;

namespace Lab.Web.Preview;

/// <summary>The browser preview of students' web apps. Routes (all need the sign-in cookie; only the machine's
/// owner and instructors pass <see cref="PreviewAccess"/>, anyone else gets 403):
/// <list type="bullet">
/// <item><c>/preview/{machine}/{port}/{**path}</c> — any method, and websockets: proxied to the machine's
/// <c>localhost:{port}</c> (a port published with <c>docker run -p</c>), from inside its network namespace;</item>
/// <item><c>GET /preview/{machine}/ports</c> — server-sent events: the machine's published ports, on each change.</item>
/// </list>
/// Needs nothing registered beyond what the app has (machines, containers, accounts), hence one line in Program.cs.</summary>
public static class PreviewFeature
{
    public static RouteGroupBuilder MapPreview(this WebApplication app)
    {
        var connections = new MachineConnections(() => app.Services.GetRequiredService<MachineHost>());
        app.Lifetime.ApplicationStopped.Register(connections.Dispose);
        var forwarder = new PreviewForwarder(connections);
        var websockets = new PreviewWebSockets(connections);
        var ports = new PublishedPorts(() => app.Services.GetRequiredService<ContainerHost>());
        var access = new PreviewAccess(app.Services.GetRequiredService<IServiceScopeFactory>(),
            app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Identity.IdentityOptions>>());

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
