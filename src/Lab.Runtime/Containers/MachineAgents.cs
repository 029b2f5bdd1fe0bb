using System.Collections.Concurrent;
using Lab.Runtime.Machines;
using Lab.Runtime.Native;

namespace Lab.Runtime.Containers;

/// <summary>One <see cref="MachineAgent"/> per running machine, started at its first request and replaced when the
/// machine restarted (another init pid) or the agent died (its socket reports EPIPE/ECONNRESET: the request is sent
/// again, once, to a new agent).</summary>
internal sealed class MachineAgents(MachineHost machines) : IDisposable
{
    private readonly ConcurrentDictionary<string, MachineAgent> _agents = new();
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _starting = new();

    public async Task SendAsync(string machine, IReadOnlyList<string> args, IReadOnlyList<(int Target, FileDescriptor Fd)> fds)
    {
        for (int attempt = 0; ; attempt++)
        {
            var agent = await GetAsync(machine);
            try
            {
                agent.Send(args, fds);
                return;
            }
            catch (Exception e) when (attempt == 0 && e is ObjectDisposedException or LinuxException { Errno: 32 or 104 or 111 })
            {   // EPIPE, ECONNRESET, ECONNREFUSED: it died; disposed: the machine stopped meanwhile (then the new one fails)
                Drop(machine, agent);
            }
        }
    }

    private async Task<MachineAgent> GetAsync(string machine)
    {
        int machinePid = machines.InitPidOf(machine);
        if (_agents.TryGetValue(machine, out var agent) && agent.MachinePid == machinePid) return agent;
        var gate = _starting.GetOrAdd(machine, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            if (_agents.TryGetValue(machine, out agent))
            {
                if (agent.MachinePid == machinePid) return agent;
                Drop(machine, agent); // the machine restarted: that agent died with its old namespaces
            }
            agent = await MachineAgent.StartAsync(machines.Helper, machinePid, machines.Cgroups.PathsOf(machine));
            _agents[machine] = agent;
            return agent;
        }
        finally
        {
            gate.Release();
        }
    }

    private void Drop(string machine, MachineAgent agent)
    {
        if (_agents.TryRemove(new KeyValuePair<string, MachineAgent>(machine, agent))) agent.Dispose();
    }

    /// <summary>An agent that does not answer (a student stopped it): killed, and the next request starts another.</summary>
    public void Kill(string machine)
    {
        if (!_agents.TryRemove(machine, out var agent)) return;
        Signals.Send(agent.Pid, Signals.SIGKILL); // a stopped agent is our child, alive: its pid is still its own
        agent.Dispose();
    }

    /// <summary>The machine stopped: its agent is gone with it (or exits now that its socket closes).</summary>
    public void Forget(string machine)
    {
        if (_agents.TryRemove(machine, out var agent)) agent.Dispose();
    }

    public void Dispose()
    {
        foreach (var machine in _agents.Keys) Forget(machine);
    }
}
