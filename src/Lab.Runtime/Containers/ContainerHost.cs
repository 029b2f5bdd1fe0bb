using System.Collections.Concurrent;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Machines;
using Lab.Runtime.Native;

namespace Lab.Runtime.Containers;

/// <summary>Nested containers of lab machines: what `docker create/start/stop/rm/...` do, with dockerd's rules and
/// messages. Every call names the machine; a container of machine A cannot be named from machine B. State lives in
/// <see cref="ContainerStore"/>, so a restarted server knows every container; running ones are tracked in memory
/// (their monitor is our child, see native/lab-init.c run).</summary>
public sealed partial class ContainerHost : IDisposable
{
    private readonly MachineHost _machines;
    private readonly ImageStore _images;
    private readonly ContainerStore _store;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<string, LiveContainer> _live = new();
    private readonly MachineAgents _agents;

    public ContainerHost(MachineHost machines, ImageStore images)
    {
        _machines = machines;
        _images = images;
        _store = new ContainerStore(machines.Options.MachinesDir);
        _agents = new MachineAgents(machines);
        machines.Started += name => _ = Task.Run(() => OnMachineStartedAsync(name));
        machines.Started += name => _ = Task.Run(() => Networking.RecreateBridgesAsync(name));
        machines.Stopped += OnMachineStopped;
    }

    public ImageStore Images => _images;

    public MachineHost Machines => _machines;

    /// <summary>Raised after each change, outside any lock (Engine events, live grading).</summary>
    public event Action<ContainerEvent>? Changed;

    public IReadOnlyList<ContainerRecord> List(string machine) => _store.List(MachineName.Validate(machine));

    /// <summary>A container by full id, unique id prefix or name (with or without '/'), as dockerd looks them up.</summary>
    public ContainerRecord? Find(string machine, string idOrName)
    {
        if (string.IsNullOrEmpty(idOrName)) return null;
        var all = List(machine);
        var name = idOrName.TrimStart('/');
        return all.FirstOrDefault(c => c.Id == idOrName)
            ?? all.FirstOrDefault(c => c.Name == name)
            ?? (all.Where(c => c.Id.StartsWith(idOrName, StringComparison.Ordinal)).ToList() is [var only] ? only : null);
    }

    public ContainerRecord Get(string machine, string idOrName) =>
        Find(machine, idOrName) ?? throw new LabException(ErrorKind.NotFound, $"No such container: {idOrName}");

    public async Task<ContainerRecord> CreateAsync(string machine, ContainerSpec spec, CancellationToken ct = default)
    {
        MachineName.Validate(machine);
        if (_machines.Find(machine) is null) throw new LabException(ErrorKind.NotFound, $"no such machine: {machine}");
        var image = _images.Find(machine, spec.Image)
            ?? throw new LabException(ErrorKind.NotFound, $"No such image: {Familiar(spec.Image)}");
        IReadOnlyList<string> layers = [InitLayer.Ensure(_images.Root), .. await _images.LayerDirectoriesAsync(image, ct)];
        RestartPolicy.Parse(spec.RestartPolicy.Name, spec.RestartPolicy.MaximumRetryCount);
        if (spec.AutoRemove && spec.RestartPolicy.Name != "no")
            throw new LabException(ErrorKind.InvalidParameter,
                "can't create 'AutoRemove' container with restart policy");
        spec = ResolveNetworking(machine, spec);
        var id = ContainerNames.NewId();
        var config = ConfigMerge.Merge(spec, image.Config.Config, id);
        using var _ = await LockAsync(machine, ct);
        var existing = List(machine);
        var name = spec.Name is null
            ? ContainerNames.Generate(existing.Select(c => c.Name).ToHashSet())
            : ContainerNames.Validate(spec.Name);
        if (existing.FirstOrDefault(c => c.Name == name) is { } holder)
            throw NameConflict(name, holder.Id);
        var record = new ContainerRecord
        {
            Id = id, Name = name, Machine = machine, Created = DateTimeOffset.UtcNow, ImageName = spec.Image,
            ImageId = image.Id.ToString(), Layers = layers, Spec = spec with { Name = name }, Config = config,
        };
        _store.Save(record);
        Raise(record, "create");
        return record;
    }

    public async Task RenameAsync(string machine, string idOrName, string newName, CancellationToken ct = default)
    {
        var name = ContainerNames.Validate(newName);
        using var _ = await LockAsync(machine, ct);
        var record = Get(machine, idOrName);
        if (record.Name == name)
            throw new LabException(ErrorKind.InvalidParameter, "Renaming a container with the same name as its current name");
        if (List(machine).FirstOrDefault(c => c.Name == name) is { } holder) throw NameConflict(name, holder.Id);
        var renamed = record with { Name = name, Spec = record.Spec with { Name = name } };
        _store.Save(renamed);
        Raise(renamed, "rename", ("oldName", "/" + record.Name));
    }

    /// <summary>`docker rm`: a running container needs <paramref name="force"/> (then it is killed first). Its
    /// writable layer on the machine's disk and its logs are deleted.</summary>
    public async Task RemoveAsync(string machine, string idOrName, bool force = false, CancellationToken ct = default)
    {
        var record = Get(machine, idOrName);
        if (record.State.Running || record.State.Restarting)
        {
            if (!force)
                throw new LabException(ErrorKind.Conflict,
                    $"You cannot remove a {record.State.Status} container {record.Id}. Stop the container before attempting removal or force remove");
            await KillAndWaitAsync(record, ct);
        }
        using var _ = await LockAsync(machine, ct);
        record = Get(machine, record.Id);
        if (record.State.Running)
            throw new LabException(ErrorKind.Conflict, $"container {record.Id} was started again during its removal");
        await DeleteWritableLayerAsync(record, ct);
        _store.Delete(machine, record.Id);
        if (_live.TryRemove(Key(record), out var live)) live.Removed.TrySetResult();
        _logs.TryRemove(Key(record), out var dropped);
        RemovedSignal(record).TrySetResult();
        Raise(record, "destroy");
    }

    private async Task DeleteWritableLayerAsync(ContainerRecord record, CancellationToken ct)
    {
        if (_machines.Find(record.Machine)?.State != MachineState.Running) return; // collected at the machine's next start
        var (statusRead, statusWrite) = FileDescriptor.Pipe();
        using var status = statusRead;
        using (statusWrite)
            await _agents.SendAsync(record.Machine, InitHelper.RemoveRequest(record.Id), [(InitHelper.StatusFd, statusWrite)]);
        // EOF when the agent's child is done (empty: deleted), else its error.
        var report = await InitHelper.ReadStatusAsync(status, ct);
        if (report.Error is not null)
            throw new LabException(ErrorKind.Internal, $"could not delete the files of container {record.Id}: {report.Error}");
    }

    // dockerd names a missing image as typed, with its default tag ("busybox:latest"), not fully qualified.
    private static string Familiar(string image) =>
        Reference.TryParse(image, out var reference) ? reference!.WithDefaultTag().FamiliarString : image;

    private static LabException NameConflict(string name, string holder) =>
        new(ErrorKind.Conflict,
            $"Conflict. The container name \"/{name}\" is already in use by container \"{holder}\". You have to remove (or rename) that container to be able to reuse that name.");

    private static string Key(ContainerRecord record) => $"{record.Machine}/{record.Id}";

    private void Raise(ContainerRecord record, string action, params (string Key, string Value)[] extra)
    {
        var attributes = new Dictionary<string, string> { ["name"] = record.Name, ["image"] = record.ImageName };
        foreach (var label in record.Config.Labels) attributes[label.Key] = label.Value;
        foreach (var (key, value) in extra) attributes[key] = value;
        Changed?.Invoke(new ContainerEvent(record.Machine, record.Id, record.Name, action, DateTimeOffset.UtcNow, attributes));
    }

    private async Task<IDisposable> LockAsync(string key, CancellationToken ct)
    {
        var gate = _locks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Releaser(gate);
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }

    public void Dispose()
    {
        _agents.Dispose();
        foreach (var live in _live.Values) live.Io.Close();
    }
}
