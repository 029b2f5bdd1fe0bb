using System.Collections.Concurrent;
using Lab.Runtime;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Images;

/// <summary>Every machine's images: one shared content store (blobs and layers are shared by all students,
/// at <see cref="RuntimeOptions.ImagesDir"/>) and per machine a namespace of names (<see cref="TagStore"/>,
/// namespace = machine name) plus its dangling images. Changes to one machine's images are serialized.</summary>
public sealed class ImageCatalog(RuntimeOptions options, IImageUsers users)
{
    readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    public IContentStore Store { get; } = new FileContentStore(options.ImagesDir);

    public string StoreRoot => options.ImagesDir;

    /// <summary>Who pays for the layers a machine's images hold (its disk quota; set by the Engine's host).</summary>
    public ILayerCharge Charge { get; set; } = NoLayerCharge.Instance;

    /// <summary>Runs an image operation (a load, a pull) on a content store that records the blobs it adds: when
    /// it fails, those that no image holds (names of every namespace, every machine's dangling images and build
    /// cache) and no other running operation holds are removed again (<see cref="ContentWrites"/>).</summary>
    public async Task<T> UndoneOnFailureAsync<T>(Func<IContentStore, Task<T>> operation)
    {
        using var writes = new ContentWrites(Store, StoreRoot, AllImages);
        try
        {
            return await operation(writes);
        }
        catch
        {
            writes.Undo();
            throw;
        }
    }

    public Task UndoneOnFailureAsync(Func<IContentStore, Task> operation) =>
        UndoneOnFailureAsync<bool>(async content =>
        {
            await operation(content);
            return true;
        });

    /// <summary>Every image something of this server holds in the shared store.</summary>
    public IEnumerable<Descriptor> AllImages()
    {
        var dangling = Path.Combine(options.DataDir, "engine-state", "dangling");
        return ImageReferences.Named(StoreRoot)
            .Concat(Directory.Exists(dangling)
                ? Directory.EnumerateFiles(dangling, "*.json").SelectMany(file => new DanglingImages(file).Load())
                : [])
            .Concat(Lab.Engine.Build.BuildCache.AllTargets(options.DataDir));
    }

    public MachineImages For(string machine) => new(machine, Store, new TagStore(options.ImagesDir, machine, Charge),
        new DanglingImages(Path.Combine(options.DataDir, "engine-state", "dangling", machine + ".json")),
        new ImageParents(Path.Combine(options.DataDir, "engine-state", "image-parents", machine + ".json")), users,
        _locks.GetOrAdd(machine, _ => new SemaphoreSlim(1, 1)));
}
