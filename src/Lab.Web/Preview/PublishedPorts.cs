using System.Text.Json;
using System.Threading.Channels;
using Lab.Runtime.Containers;

namespace Lab.Web.Preview;

/// <summary>One published port of a running container, as the lesson page lists it.</summary>
public sealed record PublishedPort(int Port, string Container, string ContainerPort, string Url);

/// <summary>The ports a machine's running containers publish (from their bindings as made at start), and their
/// live stream: server-sent events, a new list each time a container of that machine changes.</summary>
public sealed class PublishedPorts(Func<ContainerHost> runtime)
{
    private ContainerHost Containers => runtime();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public IReadOnlyList<PublishedPort> Of(string machine) =>
        Containers.List(machine)
            .Where(c => c.State.Running && c.Network is not null)
            .SelectMany(c => c.Network!.Ports.Where(p => p.Protocol == "tcp").Select(p =>
                new PublishedPort(p.HostPort, c.Name.TrimStart('/'), p.ContainerPort, new PreviewPath(machine, p.HostPort).Prefix + "/")))
            .DistinctBy(p => p.Port)
            .OrderBy(p => p.Port)
            .ToList();

    public async Task StreamAsync(HttpContext context, string machine, CancellationToken ct)
    {
        var changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void OnChanged(ContainerEvent change)
        {
            if (change.Machine == machine)
            {
                changes.Writer.TryWrite(true);
            }
        }

        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        Containers.Changed += OnChanged;
        try
        {
            string? last = null;
            while (!ct.IsCancellationRequested)
            {
                var json = JsonSerializer.Serialize(Of(machine), Json);
                if (json != last)
                {
                    await context.Response.WriteAsync($"data: {json}\n\n", ct);
                    await context.Response.Body.FlushAsync(ct);
                    last = json;
                }

                await changes.Reader.ReadAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page was closed.
        }
        finally
        {
            Containers.Changed -= OnChanged;
        }
    }
}
