using System.Text.Json;
using Lab.Runtime.Images;

namespace Lab.Runtime.Containers;

/// <summary>Containers on disk: machines/MACHINE/containers/ID/container.json, written atomically (a crash
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
        try { return JsonSerializer.Deserialize<ContainerRecord>(File.ReadAllText(path), Json); }
        catch (JsonException e)
        {
            throw new LabException(ErrorKind.Internal, $"container record {path} is unreadable: {e.Message}", e);
        }
    }

    /// <summary>A container's first record is written durably (fsync, then rename). Later ones (start, exit, pause,
    /// rename: several per `docker run`) replace it by rename without fsync: a killed server loses nothing (the page
    /// cache outlives it), and after a power loss every container is dead anyway and recovery repairs the state a
    /// lost update leaves (a record still Running becomes Exited at the machine's next start). Replacing an existing
    /// file by rename is what ext4 flushes before the rename commits (auto_da_alloc), so the file is never empty.</summary>
    public void Save(ContainerRecord record)
    {
        var dir = DirectoryOf(record.Machine, record.Id);
        var path = Path.Combine(dir, "container.json");
        var contents = JsonSerializer.SerializeToUtf8Bytes(record, Json);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(dir);
            AtomicFile.Write(path, contents);
            return;
        }
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            File.WriteAllBytes(temp, contents);
            File.Move(temp, path, overwrite: true);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(dir); // removed meanwhile: written as a first record, as before
            AtomicFile.Write(path, contents);
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
