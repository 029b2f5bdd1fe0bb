using Lab.Runtime.Images;
using Lab.Runtime.Terminals;

namespace Lab.Runtime.Machines;

// TEMPORARY: the real implementation replaces this file shortly (runtime work in progress).
public sealed class MachineHost(RuntimeOptions options, IBaseImage image) : IMachineHost, IDisposable
{
    public RuntimeOptions Options { get; } = options;
    public IBaseImage Image { get; } = image;
    public Task RecoverAsync(CancellationToken ct = default) => Task.CompletedTask;
    public IReadOnlyList<MachineInfo> List() => throw new NotImplementedException();
    public MachineInfo? Find(string name) => throw new NotImplementedException();
    public Task<MachineInfo> StartAsync(string name, MachineLimits? limits = null, IProgress<string>? progress = null, CancellationToken ct = default) => throw new NotImplementedException();
    public Task StopAsync(string name, CancellationToken ct = default) => throw new NotImplementedException();
    public Task RemoveAsync(string name, CancellationToken ct = default) => throw new NotImplementedException();
    public Task<int> ExecAsync(string name, IReadOnlyList<string> argv, Stream stdout, Stream stderr, CancellationToken ct = default) => throw new NotImplementedException();
    public Task<TerminalSession> OpenTerminalAsync(string name, CancellationToken ct = default) => throw new NotImplementedException();
    public void Dispose() { }
}
