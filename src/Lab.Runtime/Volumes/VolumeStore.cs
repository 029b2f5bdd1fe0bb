using System.Text.Json;
using Lab.Runtime.Images;

namespace Lab.Runtime.Volumes;

/// <summary>Volume records on the server's disk: machines/MACHINE/volumes/NAME.json, written atomically. The data
/// itself is inside the machine (see <see cref="VolumePaths"/>).</summary>
internal sealed class VolumeStore(string machinesDir)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private string DirOf(string machine) => Path.Combine(machinesDir, machine, "volumes");

    public IReadOnlyList<VolumeRecord> List(string machine)
    {
        var dir = DirOf(machine);
        if (!Directory.Exists(dir)) return [];
        return Directory.GetFiles(dir, "*.json")
            .Select(f => Load(machine, Path.GetFileNameWithoutExtension(f)))
            .OfType<VolumeRecord>()
            .OrderBy(v => v.Name, StringComparer.Ordinal)
            .ToList();
    }

    public VolumeRecord? Load(string machine, string name)
    {
        if (!VolumeNames.IsValid(name)) return null;
        var path = Path.Combine(DirOf(machine), name + ".json");
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<VolumeRecord>(File.ReadAllText(path), Json); }
        catch (JsonException e)
        {
            throw new LabException(ErrorKind.Internal, $"volume record {path} is unreadable: {e.Message}", e);
        }
    }

    public void Save(VolumeRecord record)
    {
        var dir = DirOf(record.Machine);
        Directory.CreateDirectory(dir);
        AtomicFile.Write(Path.Combine(dir, record.Name + ".json"), JsonSerializer.SerializeToUtf8Bytes(record, Json));
    }

    public void Delete(string machine, string name) => File.Delete(Path.Combine(DirOf(machine), name + ".json"));
}
