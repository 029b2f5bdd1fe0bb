namespace Lab.Runtime.Images.Oci;

/// <summary>Every blob some image holds: each image's manifest or index, an index's manifests, a manifest's config
/// and layers. Content missing from the store is skipped, not an error: this answers "may this blob go?".</summary>
public static class ImageReferences
{
    public static ISet<Digest> Digests(IContentStore store, IEnumerable<Descriptor> images)
    {
        var reader = new ImageReader(store);
        var seen = new HashSet<Digest>();
        foreach (var image in images) Walk(image);
        return seen;

        void Walk(Descriptor descriptor)
        {
            if (!seen.Add(descriptor.Digest) || !store.Exists(descriptor.Digest)) return;
            try
            {
                if (reader.IsIndex(descriptor))
                {
                    foreach (var child in reader.ReadIndex(descriptor).Manifests) Walk(child);
                    return;
                }
                var manifest = reader.ReadManifest(descriptor);
                foreach (var blob in manifest.Layers.Prepend(manifest.Config)) seen.Add(blob.Digest);
            }
            catch (Exception e) when (e is LabException or IOException or System.Text.Json.JsonException)
            {
                // not an image document we can read: it holds nothing more
            }
        }
    }

    /// <summary>The images named in every namespace of a store (machines, the library, the registry's
    /// repositories): the targets of each <c>names/&lt;namespace&gt;.json</c>.</summary>
    public static IEnumerable<Descriptor> Named(string storeRoot)
    {
        var dir = Path.Combine(storeRoot, "names");
        if (!Directory.Exists(dir)) yield break;
        foreach (var file in Directory.EnumerateFiles(dir, "*.json"))
        {
            IReadOnlyList<TaggedImage> tagged;
            try
            {
                tagged = new TagStore(storeRoot, Path.GetFileNameWithoutExtension(file)).List();
            }
            catch (Exception e) when (e is LabException or IOException)
            {
                continue;
            }
            foreach (var image in tagged) yield return image.Target;
        }
    }
}
