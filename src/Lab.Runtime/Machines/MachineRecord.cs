using System.Collections.Concurrent;
using System.Text.Json;

namespace Lab.Runtime.Machines;

/// <summary>What survives a server restart about one machine: machines/NAME/state.json, written atomically.</summary>
internal sealed record MachineRecord
{
    public required string Name { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required MachineLimits Limits { get; init; }
    public int? InitPid { get; init; }

    /// <summary>The image layer the running machine was booted from (its overlay lowerdir).</summary>
    public string? LowerDir { get; init; }

    /// <summary>The init's start time (clock ticks since boot, /proc/PID/stat field 22): a pid alone can be reused.</summary>
    public long? InitStartTime { get; init; }
}

internal sealed class MachineStore(string machinesDir)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string DirectoryOf(string name) => Path.Combine(machinesDir, name);

    // The last record read of each machine, with the file's mtime and length then. Every Engine request asks
    // whether its caller's machine runs (MachineHost.Find): one stat instead of reading and parsing the file. A
    // save replaces the file by rename (another mtime); this store's own saves also forget their entry.
    private readonly ConcurrentDictionary<string, (DateTime Written, long Length, MachineRecord Record)> _read =
        new(StringComparer.Ordinal);

    public MachineRecord? Load(string name)
    {
        var path = Path.Combine(DirectoryOf(name), "state.json");
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            _read.TryRemove(name, out _);
            return null;
        }
        if (_read.TryGetValue(name, out var known) && known.Written == file.LastWriteTimeUtc && known.Length == file.Length)
            return known.Record;
        MachineRecord? record;
        try { record = JsonSerializer.Deserialize<MachineRecord>(File.ReadAllText(path), Json); }
        catch (JsonException e)
        {
            throw new LabException(ErrorKind.Internal, $"machine state {path} is unreadable: {e.Message}", e);
        }
        catch (FileNotFoundException)
        {
            return null; // deleted since the stat
        }
        if (record is not null) _read[name] = (file.LastWriteTimeUtc, file.Length, record);
        return record;
    }

    public IEnumerable<string> Names() =>
        Directory.Exists(machinesDir)
            ? Directory.GetDirectories(machinesDir)
                .Where(d => File.Exists(Path.Combine(d, "state.json")))
                .Select(Path.GetFileName).OfType<string>().Order()
            : [];

    /// <summary>Write to a temp file, fsync, rename: a crash leaves the old state or the new one, never half; two
    /// writers at once (a server taking over from one that is still shutting down) each use their own temp file.</summary>
    public void Save(MachineRecord record)
    {
        var dir = DirectoryOf(record.Name);
        Directory.CreateDirectory(dir);
        Images.AtomicFile.Write(Path.Combine(dir, "state.json"), JsonSerializer.SerializeToUtf8Bytes(record, Json));
        _read.TryRemove(record.Name, out _);
    }

    public void Delete(string name)
    {
        var dir = DirectoryOf(name);
        // A container of the machine that just died may still be writing its last record or log line here.
        for (int attempt = 0; Directory.Exists(dir); attempt++)
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) when (attempt < 50) { Thread.Sleep(20); }
        }
    }
}
