using System.Text;
using Lab.Runtime;
using Lab.Runtime.Machines;
using Lab.Runtime.Native;

namespace Lab.Courses.Grading;

/// <summary>A running lab machine's state as the runtime sees it from the host:
/// <list type="bullet">
/// <item>files through the machine's root, <c>/proc/&lt;init pid&gt;/root</c>, resolved with RESOLVE_IN_ROOT
/// (<see cref="ResolveInRoot"/>): a student's symlink cannot make the grader read a host file;</item>
/// <item>commands through <see cref="IMachineHost.ExecAsync"/> (the exit code comes from the runtime);</item>
/// <item>command history from what the web terminal saw typed (<paramref name="history"/>), a weak signal.</item>
/// </list>
/// Containers, images, volumes, networks, files in containers and HTTP come from the nested-container runtime:
/// <paramref name="containers"/> when the web layer has one; without it those checks report that they cannot
/// be evaluated yet.</summary>
public sealed class LabMachineState(IMachineHost host, string machine, Func<IReadOnlyList<string>> history,
    IContainerFacts? containers = null) : IMachineState
{
    /// <summary>Output kept from a check's command; the rest is read and dropped.</summary>
    public const int MaxOutputBytes = 64 * 1024;

    public IReadOnlyList<string> CommandHistory => history();

    public Task<IReadOnlyList<ContainerFacts>> ContainersAsync(CancellationToken ct) => Containers.ContainersAsync(machine, ct);

    public Task<IReadOnlyList<ImageFacts>> ImagesAsync(CancellationToken ct) => Containers.ImagesAsync(machine, ct);

    public Task<IReadOnlyList<VolumeFacts>> VolumesAsync(CancellationToken ct) => Containers.VolumesAsync(machine, ct);

    public Task<IReadOnlyList<NetworkFacts>> NetworksAsync(CancellationToken ct) => Containers.NetworksAsync(machine, ct);

    public Task<HttpResult> HttpGetAsync(int port, string path, CancellationToken ct) => Containers.HttpGetAsync(machine, port, path, ct);

    public Task<FileFacts?> ReadFileAsync(FileScope scope, string path, int maxBytes, CancellationToken ct)
    {
        return Task.Run(() =>
        {
            try
            {
                using var root = scope.Kind == FileScopeKind.Machine
                    ? ResolveInRoot.OpenRoot($"/proc/{RunningInitPid()}/root")
                    : Containers.OpenRoot(machine, scope);
                return ResolveInRoot.Read(root, path, maxBytes) is { } file
                    ? new FileFacts(file.Mode, file.IsDirectory, file.Content)
                    : null;
            }
            catch (LinuxException e)
            {
                throw new CheckUnavailableException($"cannot read {path} in {scope}: {e.Message}", e);
            }
        }, ct);
    }

    public async Task<ExecResult> ExecAsync(FileScope scope, IReadOnlyList<string> argv, CancellationToken ct)
    {
        if (scope.Kind != FileScopeKind.Machine)
        {
            return await Containers.ExecAsync(machine, scope, argv, ct);
        }

        RunningInitPid();
        var output = new BoundedBuffer(MaxOutputBytes);
        int code = await host.ExecAsync(machine, argv, output, output, ct);
        return new ExecResult(code, output.Text);
    }

    private IContainerFacts Containers => containers
        ?? throw new CheckUnavailableException("this server cannot read containers, images, volumes or networks yet");

    private int RunningInitPid() =>
        host.Find(machine) is { State: MachineState.Running, InitPid: int pid }
            ? pid
            : throw new CheckUnavailableException($"lab machine '{machine}' is not running");

    /// <summary>Keeps the first bytes written and counts the rest.</summary>
    private sealed class BoundedBuffer(int limit) : Stream
    {
        private readonly MemoryStream kept = new();

        public string Text
        {
            get
            {
                lock (kept)
                {
                    return Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length);
                }
            }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            lock (kept) // stdout and stderr share it
            {
                kept.Write(buffer, offset, (int)Math.Min(count, Math.Max(0, limit - kept.Length)));
            }
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
