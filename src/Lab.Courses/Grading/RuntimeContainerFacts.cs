using System.Net.Sockets;
using System.Text;
using Lab.Runtime;
using Lab.Runtime.Containers;
using Lab.Runtime.Native;
using PortBinding = Lab.Courses.Grading.PortBinding;
using Lab.Runtime.Images.Oci;

namespace Lab.Courses.Grading;

/// <summary>Containers and images of a lab machine from the runtime's own records (<see cref="ContainerHost"/>,
/// the machine's namespace of the <see cref="ImageStore"/>), never from inside the machine. Files of a running
/// container are read through <c>/proc/&lt;its pid 1&gt;/root</c>; commands run with <c>docker exec</c>'s
/// machinery; HTTP goes to published ports from inside the machine's network namespace; volumes and mounts from the
/// runtime's volume records, a volume's files through a descriptor of its directory opened inside the machine's root;
/// networks from the runtime's network records. Reported as unavailable: files of a stopped container.</summary>
public sealed class RuntimeContainerFacts(ContainerHost containers) : IContainerFacts
{
    public Task<IReadOnlyList<ContainerFacts>> ContainersAsync(string machine, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<ContainerFacts>>(containers.List(machine).Select(Facts).ToList());

    public Task<IReadOnlyList<ImageFacts>> ImagesAsync(string machine, CancellationToken ct)
    {
        var names = containers.Images.Names(machine);
        var images = names.List()
            .GroupBy(tagged => tagged.Target.Digest)
            .Select(group => Facts(containers.Images.Load(group.First().Target, names)))
            .ToList();
        return Task.FromResult<IReadOnlyList<ImageFacts>>(images);
    }

    public Task<IReadOnlyList<VolumeFacts>> VolumesAsync(string machine, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<VolumeFacts>>(containers.Volumes.List(machine).Select(v => new VolumeFacts(v.Name, v.Driver)).ToList());

    /// <summary>Every network of the machine with the containers configured for it (running or not).</summary>
    public Task<IReadOnlyList<NetworkFacts>> NetworksAsync(string machine, CancellationToken ct)
    {
        var all = containers.List(machine);
        return Task.FromResult<IReadOnlyList<NetworkFacts>>(containers.Networking.List(machine)
            .Select(n => new NetworkFacts(n.Name, n.Driver)
            {
                Containers = all.Where(c => containers.Networking.NetworksOf(c).Contains(n.Name)).Select(c => c.Name).ToList(),
            })
            .ToList());
    }

    /// <summary>GET on the machine's own localhost:port (a published port), connected from inside the machine's
    /// network namespace: what the student's browser would get from `curl localhost:port` in their shell.</summary>
    public async Task<HttpResult> HttpGetAsync(string machine, int port, string path, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                try { return new NetworkStream(await containers.Machines.ConnectAsync(machine, "127.0.0.1", port, token), ownsSocket: true); }
                catch (SocketException e) { throw new HttpRequestException($"nothing answers on port {port} in the machine ({e.SocketErrorCode})", e); }
            },
            AllowAutoRedirect = false,
        };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        using var response = await client.GetAsync($"http://localhost:{port}{(path.StartsWith('/') ? path : "/" + path)}", ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        return new HttpResult((int)response.StatusCode, body.Length > 65536 ? body[..65536] : body);
    }

    public FileDescriptor OpenRoot(string machine, FileScope scope)
    {
        if (scope.Kind == FileScopeKind.Volume)
        {
            return containers.Volumes.OpenDataDir(machine, scope.Name!) ?? throw new CheckUnavailableException($"no {scope}");
        }

        var record = containers.Find(machine, scope.Name!) ?? throw new CheckUnavailableException($"no {scope}");
        return record.State is { Running: true, Pid: > 0 } state
            ? ResolveInRoot.OpenRoot($"/proc/{state.Pid}/root")
            : throw new CheckUnavailableException($"{scope} is not running");
    }

    public async Task<ExecResult> ExecAsync(string machine, FileScope container, IReadOnlyList<string> argv, CancellationToken ct)
    {
        var output = new StringBuilder();
        try
        {
            var process = await containers.ExecAsync(machine, container.Name!, new ExecSpec { Cmd = argv }, entry =>
            {
                lock (output)
                {
                    if (output.Length < LabMachineState.MaxOutputBytes)
                    {
                        output.Append(Encoding.UTF8.GetString(entry.Data));
                    }
                }
            }, ct);
            var code = await process.Exited.WaitAsync(ct);
            lock (output)
            {
                return new ExecResult(code, output.ToString());
            }
        }
        catch (LabException e) when (e.Kind is ErrorKind.NotFound or ErrorKind.Conflict)
        {
            throw new CheckUnavailableException(e.Message, e);
        }
    }

    private ContainerFacts Facts(ContainerRecord record) => new(record.Id, record.Name, record.ImageName)
    {
        Running = record.State.Running,
        ExitCode = record.State.Status is ContainerStatus.Exited or ContainerStatus.Dead ? record.State.ExitCode : null,
        Command = record.Config.Command,
        Env = record.Config.Env,
        RestartPolicy = record.Spec.RestartPolicy.Name,
        // As made while running (host ports chosen), else as asked for.
        Ports = (record.Network?.Ports is { Count: > 0 } bound ? bound : record.Spec.PortBindings)
            .Select(p => new PortBinding(p.HostPort, p.Port, p.Protocol)).ToList(),
        Networks = containers.Networking.NetworksOf(record),
        Mounts = record.Spec.Mounts.Select(m => new MountFacts(m.Source, m.Target, m.Type)).ToList(), // a volume's Source is its name
    };

    private static ImageFacts Facts(LocalImage image)
    {
        var config = image.Config.Config;
        return new ImageFacts(image.Id.ToString())
        {
            Tags = image.Names.Select(n => n.FamiliarString).ToList(),
            Labels = config?.Labels ?? new Dictionary<string, string>(),
            Cmd = config?.Cmd ?? [],
            Entrypoint = config?.Entrypoint ?? [],
            ExposedPorts = config?.ExposedPorts?.Keys.ToList() ?? [],
            Env = config?.Env ?? [],
            WorkingDir = config?.WorkingDir ?? "",
            Layers = image.Config.RootFs.DiffIds.Select(d => d.ToString()).ToList(),
            History = image.Config.History?.Select(h => h.CreatedBy ?? "").ToList() ?? [],
        };
    }
}
