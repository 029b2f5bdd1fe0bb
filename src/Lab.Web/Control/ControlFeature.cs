using System.Net.Sockets;
using System.Text.Json.Serialization;
using Lab.Runtime;
using Lab.Runtime.Machines;
using Lab.Web.Errors;
using Lab.Web.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Lab.Web.Control;

/// <summary>The control API that `lab machine ...` uses: HTTP on the unix socket LAB_DATA/control.sock
/// (mode 0600), reachable only there. Routes:
/// <code>
/// GET    /control/machines               → [MachineInfo]
/// POST   /control/machines/{name}/start  → MachineInfo
/// POST   /control/machines/{name}/stop   → 204
/// DELETE /control/machines/{name}        → 204
/// POST   /control/machines/{name}/exec   {"argv": [...]} → ExecStream frames
/// </code>
/// Errors are <c>{"message": ...}</c> with the status of their kind (<see cref="ErrorStatus"/>).</summary>
public static class ControlFeature
{
    public static IServiceCollection AddControl(this IServiceCollection services)
    {
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<LabOptions>>((kestrel, lab) =>
            kestrel.ListenUnixSocket(lab.Value.ControlSocketPath));
        services.Configure<JsonOptions>(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        return services;
    }

    public static RouteGroupBuilder MapControl(this WebApplication app)
    {
        var control = app.MapGroup("/control/machines").AllowAnonymous().DisableAntiforgery();
        control.AddEndpointFilter(async (context, next) => ControlPeer.IsAllowed(context.HttpContext)
            ? await next(context)
            : Results.NotFound(new ErrorMessage("not found")));

        control.MapGet("/", (IMachineHost host) => host.List());
        // The body is optional: without it a new machine gets the default limits and an existing one keeps its own.
        control.MapPost("/{name}/start", (string name, [Microsoft.AspNetCore.Mvc.FromBody] MachineLimits? limits, IMachineHost host, CancellationToken ct) =>
            host.StartAsync(name, limits, ct: ct));
        control.MapPost("/{name}/stop", async (string name, IMachineHost host, CancellationToken ct) =>
        {
            await host.StopAsync(name, ct);
            return Results.NoContent();
        });
        control.MapDelete("/{name}", async (string name, IMachineHost host, CancellationToken ct) =>
        {
            await host.RemoveAsync(name, ct);
            return Results.NoContent();
        });
        control.MapPost("/{name}/exec", async (string name, ExecRequest request, HttpContext context, IMachineHost host) =>
        {
            var response = new ExecResponse(context.Response);
            var ct = context.RequestAborted; // the CLI was interrupted: the command is killed
            try
            {
                var code = await host.ExecAsync(name, request.Argv ?? [], response.Stdout, response.Stderr, ct);
                await response.WriteFrameAsync(ExecStream.Kind.Exit, ExecStream.ExitPayload(code), ct);
            }
            catch (LabException e) when (response.HasStarted)
            {
                await response.WriteFrameAsync(ExecStream.Kind.Error, ExecStream.ErrorPayload(e.Message), ct);
            }

            return Results.Empty;
        });
        return control;
    }

    /// <summary>Before listening: a socket file left by a server that died is removed; one that answers means
    /// another server already uses this LAB_DATA, and two servers would fight over the same machines.</summary>
    public static void PrepareControlSocket(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<LabOptions>>().Value.ControlSocketPath;
        if (!File.Exists(path))
        {
            return;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            File.Delete(path);
            return;
        }

        throw new LabException(ErrorKind.Conflict,
            $"another lab server is already running with LAB_DATA={Path.GetDirectoryName(path)} (its socket {path} answers)");
    }

    /// <summary>After listening: root (and the server's user) only.</summary>
    public static void SecureControlSocket(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<LabOptions>>().Value.ControlSocketPath;
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public sealed record ExecRequest(IReadOnlyList<string>? Argv);
}
