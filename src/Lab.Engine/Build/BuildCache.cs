using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Lab.Runtime;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Build;

/// <summary>The classic builder's layer cache for one machine: a step is cached when the same instruction (its
/// history line, which for COPY/ADD holds the checksum of the copied files, and for RUN the build args) gave an
/// image on the same parent with the same config. dockerd finds it by scanning its images' parents; here a small
/// index file per machine (under LAB_DATA/engine-state/build-cache) maps that key to the image's manifest. An
/// entry whose image is gone from the content store is a miss.</summary>
public sealed class BuildCache(string path, ImageStore store)
{
    static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new();

    /// <summary>The index as this build last read or wrote it: one instance serves one build, whose steps look
    /// it up one after the other (re-reading it for each was a good part of a cached build). A save re-reads it
    /// under the lock, so concurrent builds of the machine still merge their entries.</summary>
    Dictionary<string, Descriptor>? _index;

    public static BuildCache ForMachine(string dataDir, string machine, ImageStore store) =>
        new(Path.Combine(dataDir, "engine-state", "build-cache", machine + ".json"), store);

    public static string Key(LocalImage? parent, string createdBy, ContainerConfig config)
    {
        var text = $"{parent?.Id.ToString() ?? "scratch"}\n{createdBy}\n{Encoding.UTF8.GetString(OciJson.Serialize(config))}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public LocalImage? Find(string key)
    {
        if (!(_index ??= Load()).TryGetValue(key, out var target)) return null;
        try
        {
            var manifest = store.Reader.ReadManifest(target);
            return new LocalImage(manifest.Config.Digest, target, manifest, store.Reader.ReadConfig(manifest.Config), []);
        }
        catch (Exception e) when (e is LabException or IOException or JsonException)
        {
            return null; // pruned since
        }
    }

    public async Task SaveAsync(string key, LocalImage image, CancellationToken ct)
    {
        var gate = Locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var all = Load();
            all[key] = image.Target;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + ".tmp";
            await File.WriteAllBytesAsync(temp, JsonSerializer.SerializeToUtf8Bytes(all), ct);
            File.Move(temp, path, overwrite: true);
            _index = all;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary><c>docker builder prune</c>: forgets every cached step of the machine and returns their image ids.
    /// The layers themselves stay in the shared content store (other students' images may hold them).</summary>
    public async Task<IReadOnlyList<string>> ClearAsync(CancellationToken ct)
    {
        var gate = Locks.GetOrAdd(path, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var ids = Load().Keys.Select(Find).OfType<LocalImage>().Select(i => i.Id.ToString()).Distinct().ToList();
            if (File.Exists(path)) File.Delete(path); // a machine that never built has no index, nor its folder
            _index = null;
            return ids;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The images the cache keeps (their layers count in the machine's disk quota).</summary>
    public IEnumerable<Descriptor> Targets() => Load().Values;

    /// <summary>The images the build caches of every machine of a server keep.</summary>
    public static IEnumerable<Descriptor> AllTargets(string dataDir)
    {
        var dir = Path.Combine(dataDir, "engine-state", "build-cache");
        return Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*.json").SelectMany(f => LoadFile(f).Values) : [];
    }

    Dictionary<string, Descriptor> Load() => LoadFile(path);

    static Dictionary<string, Descriptor> LoadFile(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, Descriptor>>(File.ReadAllBytes(path)) ?? [];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return [];
        }
    }
}
