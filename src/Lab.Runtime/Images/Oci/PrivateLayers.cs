namespace Lab.Runtime.Images.Oci;

/// <summary>The layers a namespace holds that the classroom's base images do not: the distinct layer blobs of
/// every image it names, keeps untagged or keeps in its build cache, less those of the <see cref="ImageStore.Library"/>
/// images every machine gets for free. Computed from what is on disk each time, never from a counter.</summary>
public sealed record PrivateLayers(IReadOnlyDictionary<Digest, long> Layers)
{
    /// <summary>What the layers weigh: their blobs' sizes (a layer's tar as it was stored: for a load, a build
    /// step, a commit or an import, the uncompressed tar the machine unpacks).</summary>
    public long Bytes => Layers.Values.Sum();

    public static PrivateLayers Of(ImageStore store, string @namespace, IEnumerable<Descriptor>? adding = null)
    {
        var roots = store.Names(@namespace).List().Select(n => n.Target)
            .Concat(store.Untagged(@namespace)).Concat(store.Cached(@namespace)).Concat(adding ?? []);
        var free = LayersOf(store, store.Names(ImageStore.Library).List().Select(n => n.Target))
            .Select(l => l.Digest).ToHashSet();
        var layers = new Dictionary<Digest, long>();
        foreach (var layer in LayersOf(store, roots))
            if (!free.Contains(layer.Digest)) layers.TryAdd(layer.Digest, layer.Size);
        return new PrivateLayers(layers);
    }

    /// <summary>The layers of each image for this host's platform; an image whose content is gone holds none.</summary>
    static IEnumerable<Descriptor> LayersOf(ImageStore store, IEnumerable<Descriptor> targets)
    {
        foreach (var target in targets.DistinctBy(t => t.Digest))
        {
            IReadOnlyList<Descriptor> layers;
            try
            {
                layers = store.Reader.ReadManifest(store.Reader.ResolveManifest(target)).Layers;
            }
            catch (Exception e) when (e is LabException or IOException)
            {
                continue;
            }
            foreach (var layer in layers) yield return layer;
        }
    }
}
