using System.Collections.Concurrent;
using System.Globalization;
using Lab.Runtime.Images.Oci;

namespace Lab.Runtime.Machines;

/// <summary>Charges each lab machine's disk quota for its private image layers (<see cref="PrivateLayers"/>:
/// what it pulled, loaded, imported, committed or built, less the classroom's base images). The layers stay
/// extracted once on the host and shared; the machine pays with a <see cref="DiskChargeFile"/> of their size on
/// its own disk. Two machines holding the same private image each pay for it.
///
/// The charge is recomputed from the machine's images, never trusted from a counter: when a machine comes up (a
/// boot, or adopted by a restarted server after a kill -9) and after every change. Growing happens before the
/// change it pays for, so an image that does not fit is refused whole; shrinking happens after a removal.</summary>
public sealed class MachineLayerCharge : ILayerCharge
{
    private readonly MachineHost _machines;
    private readonly ImageStore _store;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    // What the charge file of a running machine holds, as last set by this process; absent: not known yet (then
    // it is set rather than compared). Only spares a helper run when nothing changed.
    private readonly ConcurrentDictionary<string, long> _charged = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _settling = new(StringComparer.Ordinal);

    private MachineLayerCharge(MachineHost machines, ImageStore store)
    {
        _machines = machines;
        _store = store;
    }

    /// <summary>Makes <paramref name="store"/> charge the machines of <paramref name="machines"/> (namespace =
    /// machine name) and recomputes the charge of every machine now running and of each that comes up.</summary>
    public static MachineLayerCharge Attach(MachineHost machines, ImageStore store)
    {
        var charge = new MachineLayerCharge(machines, store);
        store.Charge = charge;
        machines.Started += charge.Recompute;
        machines.Stopped += name => charge._charged.TryRemove(name, out _);
        foreach (var machine in machines.List().Where(m => m.State == MachineState.Running))
            charge.Recompute(machine.Name);
        return charge;
    }

    /// <summary>The recomputation started when <paramref name="machine"/> last came up (done when it is).</summary>
    public Task Recomputed(string machine) => _settling.GetValueOrDefault(machine, Task.CompletedTask);

    public async Task CommitAsync(string @namespace, IEnumerable<Descriptor> adding, Func<Task> commit, CancellationToken ct)
    {
        var added = adding.ToList();
        if (added.Count == 0 || RunningMachine(@namespace) is null)
        {
            await commit();
            return;
        }
        using (await LockAsync(@namespace, ct))
        {
            if (RunningMachine(@namespace) is { } machine)
            {
                var needed = PrivateLayers.Of(_store, @namespace, added).Bytes;
                var known = _charged.TryGetValue(@namespace, out var charged);
                if (!known || needed > charged)
                {
                    var fits = await new DiskChargeFile(DiskOf(@namespace)).ResizeAsync(needed, ct);
                    if (fits == false) throw NoRoom(machine, needed - (known ? charged : 0), needed);
                    if (fits == true) _charged[@namespace] = needed;
                }
            }
            await commit();
        }
    }

    public async Task SettleAsync(string @namespace, CancellationToken ct)
    {
        if (RunningMachine(@namespace) is null) return;
        using (await LockAsync(@namespace, ct))
        {
            if (RunningMachine(@namespace) is null) return;
            var needed = PrivateLayers.Of(_store, @namespace).Bytes;
            if (_charged.TryGetValue(@namespace, out var charged) && charged == needed) return;
            // A settle follows a change already made: when the disk has no room for the whole charge (the student
            // filled it before this server saw the images), the charge stays what it was rather than undo the change.
            if (await new DiskChargeFile(DiskOf(@namespace)).ResizeAsync(needed, ct) == true)
                _charged[@namespace] = needed;
        }
    }

    private void Recompute(string machine) =>
        _settling[machine] = Task.Run(async () =>
        {
            try
            {
                await SettleAsync(machine, CancellationToken.None);
            }
            catch (Exception e) when (e is LabException or IOException)
            {
                // Never fails a boot: the charge is recomputed again at the machine's next image change.
                Console.Error.WriteLine($"lab: machine '{machine}': its image layers' charge was not recomputed: {e.Message}");
            }
        });

    private MachineInfo? RunningMachine(string @namespace) =>
        @namespace != ImageStore.Library && MachineName.IsValid(@namespace)
        && _machines.Find(@namespace) is { State: MachineState.Running } machine ? machine : null;

    private MachineDisk DiskOf(string machine) => new(Path.Combine(_machines.Options.MachinesDir, machine));

    private async Task<IDisposable> LockAsync(string @namespace, CancellationToken ct)
    {
        var gate = _locks.GetOrAdd(@namespace, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    private static LabException NoRoom(MachineInfo machine, long more, long total) =>
        new(ErrorKind.Conflict,
            $"no space left on device: the lab machine's disk quota ({machine.Limits.DiskBytes >> 20} MiB) has no room " +
            $"for {Size(more)} more of image layers ({Size(total)} in all); remove images (docker rmi, docker image prune) " +
            "or files to make room");

    private static string Size(long bytes) =>
        (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB";

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
