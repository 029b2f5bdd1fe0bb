using Lab.Runtime.Containers;
using Lab.Runtime.Machines;

namespace Lab.Runtime.Volumes;

/// <summary>`docker volume create/ls/inspect/rm/prune` for one machine at a time, with the local driver: each
/// volume's data is a directory on the machine's disk (/var/lib/lab/volumes/NAME/_data, inside its quota), its
/// record on the server. A volume is in use while any container of the machine (running or not) mounts it.
/// Messages are dockerd's (moby volume/service).</summary>
public sealed partial class VolumeHost
{
    public const string LocalDriver = "local";

    /// <summary>The label dockerd (≥ 23) puts on anonymous volumes.</summary>
    public const string AnonymousLabel = "com.docker.volume.anonymous";

    private readonly ContainerHost _containers;
    private readonly VolumeStore _store;
    private readonly SemaphoreSlim _lock = new(1, 1);

    public VolumeHost(ContainerHost containers)
    {
        _containers = containers;
        _store = new VolumeStore(containers.Machines.Options.MachinesDir);
    }

    private MachineHost Machines => _containers.Machines;

    public IReadOnlyList<VolumeRecord> List(string machine) => _store.List(MachineName.Validate(machine));

    public VolumeRecord? Find(string machine, string name) => _store.Load(MachineName.Validate(machine), name);

    public VolumeRecord Get(string machine, string name) =>
        Find(machine, name) ?? throw new LabException(ErrorKind.NotFound, $"get {name}: no such volume");

    /// <summary>Ids of the machine's containers that mount the volume, in any state.</summary>
    public IReadOnlyList<string> UsersOf(string machine, string name) =>
        _containers.List(machine)
            .Where(c => c.Spec.Mounts.Any(m => m.Type == ContainerMount.Volume && m.Source == name))
            .Select(c => c.Id).ToList();

    /// <summary>`docker volume create`: an existing volume of the same driver is returned as it is (dockerd does
    /// the same); no name makes a random 64-hex one.</summary>
    public async Task<VolumeRecord> CreateAsync(string machine, string? name, string? driver = null,
        IReadOnlyDictionary<string, string>? labels = null, IReadOnlyDictionary<string, string>? options = null,
        bool anonymous = false, CancellationToken ct = default)
    {
        MachineName.Validate(machine);
        driver = string.IsNullOrEmpty(driver) ? LocalDriver : driver;
        name = string.IsNullOrEmpty(name) ? VolumeNames.NewAnonymous() : VolumeNames.Validate(name);
        if (driver != LocalDriver)
            throw new LabException(ErrorKind.NotFound, $"create {name}: error looking up volume plugin {driver}: plugin \"{driver}\" not found");
        options ??= new Dictionary<string, string>();
        LocalOptions.Validate(name, options);
        await _lock.WaitAsync(ct);
        try
        {
            if (_store.Load(machine, name) is { } existing) return existing;
            await VolumeHelper.CreateDirAsync(Machines, machine, name, ct);
            var allLabels = new Dictionary<string, string>(labels ?? new Dictionary<string, string>());
            if (anonymous) allLabels[AnonymousLabel] = "";
            var record = new VolumeRecord
            {
                Name = name, Machine = machine, CreatedAt = DateTimeOffset.UtcNow, Driver = driver,
                Labels = allLabels, Options = options, Anonymous = anonymous,
            };
            _store.Save(record);
            return record;
        }
        finally { _lock.Release(); }
    }

    /// <summary>`docker volume rm [-f]`: a volume in use is a conflict even with force (force only forgives a missing
    /// one), as in dockerd. Returns the bytes its files held.</summary>
    public async Task<long> RemoveAsync(string machine, string name, bool force = false, CancellationToken ct = default)
    {
        await _lock.WaitAsync(ct);
        try
        {
            if (Find(machine, name) is null)
            {
                if (force) return 0;
                throw new LabException(ErrorKind.NotFound, $"get {name}: no such volume");
            }
            return await RemoveLockedAsync(machine, name, ct);
        }
        finally { _lock.Release(); }
    }

    private async Task<long> RemoveLockedAsync(string machine, string name, CancellationToken ct)
    {
        if (UsersOf(machine, name) is { Count: > 0 } users)
            throw new LabException(ErrorKind.Conflict, $"remove {name}: volume is in use - [{string.Join(", ", users)}]");
        var bytes = await VolumeHelper.RemoveDirAsync(Machines, machine, name, ct);
        _store.Delete(machine, name);
        return bytes;
    }

    /// <summary>`docker volume prune`: every volume no container uses and <paramref name="keep"/> lets go
    /// (anonymous ones only unless <paramref name="all"/>, as dockerd does from API 1.42).</summary>
    public async Task<(IReadOnlyList<string> Deleted, long Reclaimed)> PruneAsync(string machine, bool all,
        Func<VolumeRecord, bool> matches, CancellationToken ct = default)
    {
        var deleted = new List<string>();
        long reclaimed = 0;
        await _lock.WaitAsync(ct);
        try
        {
            var used = _containers.List(machine).SelectMany(c => c.Spec.Mounts)
                .Where(m => m.Type == ContainerMount.Volume).Select(m => m.Source).ToHashSet();
            foreach (var volume in List(machine).Where(v => !used.Contains(v.Name) && (all || v.Anonymous) && matches(v)))
            {
                reclaimed += await RemoveLockedAsync(machine, volume.Name, ct);
                deleted.Add(volume.Name);
            }
        }
        finally { _lock.Release(); }
        return (deleted, reclaimed);
    }

    /// <summary>`docker rm -v` and `--rm`: the container's anonymous volumes go with it, unless another container
    /// (one that took them with --volumes-from) still uses them.</summary>
    public Task RemoveAnonymousOfAsync(ContainerRecord removed, CancellationToken ct = default) =>
        RemoveAnonymousAsync(removed.Machine, removed.Spec.Mounts, ct);

    /// <summary>The anonymous volumes among <paramref name="mounts"/> that no container uses.</summary>
    public async Task RemoveAnonymousAsync(string machine, IReadOnlyList<ContainerMount> mounts, CancellationToken ct = default)
    {
        foreach (var mount in mounts.Where(m => m.Type == ContainerMount.Volume && m.Anonymous))
        {
            await _lock.WaitAsync(ct);
            try
            {
                if (Find(machine, mount.Source) is not null && UsersOf(machine, mount.Source).Count == 0)
                    await RemoveLockedAsync(machine, mount.Source, ct);
            }
            finally { _lock.Release(); }
        }
    }

    /// <summary>What the machine's lab-init agent mounts for a container about to start: a volume made with the local driver's
    /// `type=none,o=bind,device=DIR` options is a bind of that machine directory, and gets no image content.</summary>
    public IReadOnlyList<ContainerMount> ForStart(ContainerRecord record) =>
        record.Spec.Mounts.Select(m =>
            m.Type == ContainerMount.Volume && Find(record.Machine, m.Source) is { } v && LocalOptions.BindDevice(v.Options) is { } device
                ? m with { Type = ContainerMount.Bind, Source = device, CreateSource = false }
                : m).ToList();
}
