using System.Text.Json;
using Lab.Runtime.Images;

namespace Lab.Runtime.Networks;

/// <summary>Networks on disk: machines/MACHINE/networks/ID.json, written atomically. They outlive the machine's
/// boots (the bridges are made again in each new network namespace) and go with the machine's directory.</summary>
internal sealed class NetworkStore(string machinesDir)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private string DirectoryOf(string machine) => Path.Combine(machinesDir, machine, "networks");

    public IReadOnlyList<NetworkRecord> List(string machine)
    {
        var dir = DirectoryOf(machine);
        if (!Directory.Exists(dir)) return [];
        return Directory.GetFiles(dir, "*.json")
            .Select(Load)
            .OfType<NetworkRecord>()
            .OrderBy(n => n.Created)
            .ToList();
    }

    private static NetworkRecord? Load(string path)
    {
        try { return JsonSerializer.Deserialize<NetworkRecord>(File.ReadAllText(path), Json); }
        catch (FileNotFoundException) { return null; } // removed meanwhile
        catch (JsonException e)
        {
            throw new LabException(ErrorKind.Internal, $"network record {path} is unreadable: {e.Message}", e);
        }
    }

    public void Save(string machine, NetworkRecord network)
    {
        var dir = Directory.CreateDirectory(DirectoryOf(machine)).FullName;
        AtomicFile.Write(Path.Combine(dir, network.Id + ".json"), JsonSerializer.SerializeToUtf8Bytes(network, Json));
    }

    public void Delete(string machine, string id) => File.Delete(Path.Combine(DirectoryOf(machine), id + ".json"));
}
