namespace Lab.Courses.Grading;

/// <summary>What the nested-container runtime must answer for the grader, per lab machine: the adapter between
/// <see cref="LabMachineState"/> and Lab.Runtime's containers / Lab.Engine's volumes and networks. Each method
/// reads the runtime's own records (never asks a process inside the machine).</summary>
public interface IContainerFacts
{
    Task<IReadOnlyList<ContainerFacts>> ContainersAsync(string machine, CancellationToken ct);

    Task<IReadOnlyList<ImageFacts>> ImagesAsync(string machine, CancellationToken ct);

    Task<IReadOnlyList<VolumeFacts>> VolumesAsync(string machine, CancellationToken ct);

    Task<IReadOnlyList<NetworkFacts>> NetworksAsync(string machine, CancellationToken ct);

    /// <summary>The root of a container or a volume of the machine, opened for
    /// <see cref="Lab.Runtime.Native.ResolveInRoot"/> reads (a running container's /proc/&lt;pid&gt;/root, a volume's
    /// data directory). The caller disposes it when its read is done: an open volume directory keeps the machine's
    /// disk mounted.</summary>
    Lab.Runtime.Native.FileDescriptor OpenRoot(string machine, FileScope scope);

    Task<ExecResult> ExecAsync(string machine, FileScope container, IReadOnlyList<string> argv, CancellationToken ct);

    /// <summary>GET through a published port, from a socket created in the machine's network namespace.</summary>
    Task<HttpResult> HttpGetAsync(string machine, int port, string path, CancellationToken ct);
}
