using System.Collections.Concurrent;
using System.Text.Json;

namespace Lab.Runtime.Containers;

/// <summary>Containers on disk: machines/MACHINE/containers/ID/container.json, replaced atomically (a crash
/// leaves the old record or the new one), with the container's logs beside it.</summary>
internal sealed class ContainerStore(string machinesDir)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly ConcurrentDictionary<string, MachineRecords> _cache = new(StringComparer.Ordinal);

    public string DirectoryOf(string machine, string id) => Path.Combine(machinesDir, machine, "containers", id);

    public IReadOnlyList<ContainerRecord> List(string machine)
    {
        var records = Current(machine);
        lock (records) return records.ById.Values.OrderByDescending(c => c.Created).ToList();
    }

    public ContainerRecord? Load(string machine, string id)
    {
        var records = Current(machine);
        lock (records) return records.ById.GetValueOrDefault(id);
    }

    /// <summary>The machine's records, read from disk again only when its containers directory changed since the
    /// last read: every lookup by name or id (each docker command makes several) used to read and parse every
    /// record of the machine. This store writes every record, so it keeps its copy in step itself; the directory's
    /// mtime, which a container created or removed by anyone else (or the machine's directory deleted and made
    /// again) changes, says when that copy cannot be trusted.</summary>
    private MachineRecords Current(string machine)
    {
        var records = _cache.GetOrAdd(machine, _ => new MachineRecords());
        var root = RootOf(machine);
        lock (records)
        {
            var stamp = Directory.GetLastWriteTimeUtc(root); // a missing directory has a stamp of its own (1601)
            if (records.Stamp == stamp) return records;
            records.ById.Clear();
            if (Directory.Exists(root))
                foreach (var dir in Directory.GetDirectories(root))
                    if (ReadRecord(machine, Path.GetFileName(dir)) is { } record) records.ById[record.Id] = record;
            records.Stamp = stamp;
            return records;
        }
    }

    private ContainerRecord? ReadRecord(string machine, string id)
    {
        var path = Path.Combine(DirectoryOf(machine, id), "container.json");
        if (!File.Exists(path)) return null;
        var bytes = File.ReadAllBytes(path);
        if (NeverReachedDisk(bytes)) return null;
        try { return JsonSerializer.Deserialize<ContainerRecord>(bytes, Json); }
        catch (JsonException e)
        {
            throw new LabException(ErrorKind.Internal, $"container record {path} is unreadable: {e.Message}", e);
        }
    }

    private string RootOf(string machine) => Path.Combine(machinesDir, machine, "containers");

    /// <summary>A machine's records as last read or written, and the containers directory's mtime then.</summary>
    private sealed class MachineRecords
    {
        public DateTime Stamp { get; set; } = DateTime.MaxValue; // never read
        public Dictionary<string, ContainerRecord> ById { get; } = new(StringComparer.Ordinal);
    }

    // What a power cut leaves of a record whose data was still in the page cache: ext4 (delayed allocation) can
    // commit the rename before the data, and the file reads empty (or as zeros). Only a power cut does that (a killed
    // server loses nothing: the page cache outlives it), and then the container was at most created, never started
    // for good: like a `docker create` the cut came before, it does not exist.
    private static bool NeverReachedDisk(byte[] bytes) => Array.TrueForAll(bytes, b => b == 0);

    /// <summary>Every record replaces the previous one by rename, without fsync: after a crash the file holds the
    /// old record or the new one (several saves per `docker run`, each fsync costing 4-8 ms here). A killed server
    /// loses nothing (the page cache outlives it); after a power loss every container is dead anyway, recovery
    /// repairs the state a lost update leaves (a record still Running becomes Exited at the machine's next start),
    /// and a first record that never reached the disk reads as no container (see <see cref="Load"/>). Replacing
    /// an existing file by rename is what ext4 flushes before the rename commits (auto_da_alloc).</summary>
    public void Save(ContainerRecord record)
    {
        var dir = DirectoryOf(record.Machine, record.Id);
        var path = Path.Combine(dir, "container.json");
        var contents = JsonSerializer.SerializeToUtf8Bytes(record, Json);
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            try { File.WriteAllBytes(temp, contents); }
            catch (DirectoryNotFoundException)
            {
                Directory.CreateDirectory(dir); // its first record (or removed meanwhile: written as a first record)
                File.WriteAllBytes(temp, contents);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp); // no-op once moved
        }
        Remember(record.Machine, records => records.ById[record.Id] = record);
    }

    public void Delete(string machine, string id)
    {
        var dir = DirectoryOf(machine, id);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Remember(machine, records => records.ById.Remove(id));
    }

    /// <summary>Applies this store's own change to its copy, and takes the directory's new mtime (a first record
    /// made the container's directory, a delete removed it) as the copy's: a copy never read stays unread.</summary>
    private void Remember(string machine, Action<MachineRecords> change)
    {
        if (!_cache.TryGetValue(machine, out var records)) return;
        lock (records)
        {
            if (records.Stamp == DateTime.MaxValue) return;
            change(records);
            records.Stamp = Directory.GetLastWriteTimeUtc(RootOf(machine));
        }
    }
}
