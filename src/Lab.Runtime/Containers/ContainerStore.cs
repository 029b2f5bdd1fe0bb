using System.Text.Json;

namespace Lab.Runtime.Containers;

/// <summary>Containers on disk: machines/MACHINE/containers/ID/container.json, replaced atomically (a crash
/// leaves the old record or the new one), with the container's logs beside it.</summary>
internal sealed class ContainerStore(string machinesDir)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string DirectoryOf(string machine, string id) => Path.Combine(machinesDir, machine, "containers", id);

    public IReadOnlyList<ContainerRecord> List(string machine)
    {
        var root = Path.Combine(machinesDir, machine, "containers");
        if (!Directory.Exists(root)) return [];
        return Directory.GetDirectories(root)
            .Select(dir => Load(machine, Path.GetFileName(dir)))
            .OfType<ContainerRecord>()
            .OrderByDescending(c => c.Created)
            .ToList();
    }

    public ContainerRecord? Load(string machine, string id)
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
    }

    public void Delete(string machine, string id)
    {
        var dir = DirectoryOf(machine, id);
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
