using Lab.Runtime.Terminals;

namespace Lab.Runtime.Machines;

/// <summary>Lab machines: one isolated, quota'd container per student. Names are hostname-safe
/// (<see cref="MachineName.Validate"/>); unknown names raise <see cref="ErrorKind.NotFound"/>.</summary>
public interface IMachineHost
{
    IReadOnlyList<MachineInfo> List();

    MachineInfo? Find(string name);

    /// <summary>Creates the machine on first use, starts it if stopped; a running machine is returned as is.</summary>
    Task<MachineInfo> StartAsync(string name, MachineLimits? limits = null, IProgress<string>? progress = null,
        CancellationToken ct = default);

    /// <summary>Kills every process of the machine and tears down its cgroup, mounts and namespaces.
    /// Its upper dir (the student's files) is kept.</summary>
    Task StopAsync(string name, CancellationToken ct = default);

    /// <summary>Stops the machine and deletes everything it had, files included.</summary>
    Task RemoveAsync(string name, CancellationToken ct = default);

    /// <summary>Runs a command non-interactively inside a running machine; returns its exit code
    /// (128+signal when killed by a signal).</summary>
    Task<int> ExecAsync(string name, IReadOnlyList<string> argv, Stream stdout, Stream stderr,
        CancellationToken ct = default);

    /// <summary>The machine's interactive login shell: reused while it lives (closing a browser tab
    /// does not end it), started anew when it has exited.</summary>
    Task<TerminalSession> OpenTerminalAsync(string name, CancellationToken ct = default);
}
