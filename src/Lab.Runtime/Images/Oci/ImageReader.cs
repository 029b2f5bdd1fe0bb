using System.Text.Json;

namespace Lab.Runtime.Images.Oci;

/// <summary>Reads the JSON documents of images out of a content store: manifests, indexes, configs; picks the
/// manifest for a platform out of an index; and lists everything an image consists of.</summary>
public sealed class ImageReader(IContentStore store)
{
    public ImageManifest ReadManifest(Descriptor descriptor) =>
        Check(OciJson.Deserialize<ImageManifest>(store.ReadAllBytes(descriptor.Digest), $"manifest {descriptor.Digest}"),
            m => m.SchemaVersion, descriptor);

    public ImageIndex ReadIndex(Descriptor descriptor) =>
        Check(OciJson.Deserialize<ImageIndex>(store.ReadAllBytes(descriptor.Digest), $"image index {descriptor.Digest}"),
            i => i.SchemaVersion, descriptor);

    public ImageConfig ReadConfig(Descriptor descriptor) =>
        OciJson.Deserialize<ImageConfig>(store.ReadAllBytes(descriptor.Digest), $"image config {descriptor.Digest}");

    /// <summary>Whether <paramref name="descriptor"/> points to an index (or Docker manifest list). Media types
    /// decide; a descriptor without a known one (old tools leave it out) is told by the document's shape.</summary>
    public bool IsIndex(Descriptor descriptor) =>
        MediaTypes.IsIndex(descriptor.MediaType)
        || !MediaTypes.IsManifest(descriptor.MediaType) && LooksLikeIndex(store.ReadAllBytes(descriptor.Digest));

    internal static bool LooksLikeIndex(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("manifests", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The image manifest to run on <paramref name="platform"/> (this host by default):
    /// <paramref name="target"/> itself when it is a manifest, else the matching entry of the index, searched
    /// depth first. NotFound in dockerd's words when the index has nothing for the platform.</summary>
    public Descriptor ResolveManifest(Descriptor target, Platform? platform = null)
    {
        platform ??= Platform.Host;
        if (!IsIndex(target)) return target;
        foreach (var child in ReadIndex(target).Manifests)
        {
            if (child.Platform is { } p && !platform.Runs(p)) continue;
            if (!store.Exists(child.Digest)) continue; // a partial copy of a multi-platform image
            if (IsIndex(child))
            {
                if (TryResolve(child, platform) is { } nested) return nested;
                continue;
            }
            // Without a platform in the index, the image's own config says what it runs on.
            if (child.Platform is null && !platform.Runs(ReadConfig(ReadManifest(child).Config).Platform)) continue;
            return child;
        }
        throw new LabException(ErrorKind.NotFound,
            $"no matching manifest for {platform} in the manifest list entries");
    }

    Descriptor? TryResolve(Descriptor index, Platform platform)
    {
        try
        {
            return ResolveManifest(index, platform);
        }
        catch (LabException e) when (e.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>Every descriptor an image consists of, parents before children: the target, then for an index
    /// its manifests that the store holds (a multi-platform image is often copied for one platform only), for a
    /// manifest its config and layers, which must all be there.</summary>
    public IReadOnlyList<Descriptor> Closure(Descriptor target)
    {
        var all = new List<Descriptor>();
        var seen = new HashSet<Digest>();
        Walk(target);
        return all;

        void Walk(Descriptor descriptor)
        {
            if (!seen.Add(descriptor.Digest)) return;
            Require(descriptor);
            all.Add(descriptor);
            if (IsIndex(descriptor))
            {
                foreach (var child in ReadIndex(descriptor).Manifests.Where(c => store.Exists(c.Digest)))
                    Walk(child);
                return;
            }
            var manifest = ReadManifest(descriptor);
            foreach (var blob in manifest.Layers.Prepend(manifest.Config))
            {
                if (!seen.Add(blob.Digest)) continue;
                Require(blob);
                all.Add(blob);
            }
        }
    }

    void Require(Descriptor descriptor)
    {
        if (!store.Exists(descriptor.Digest))
            throw new LabException(ErrorKind.NotFound,
                $"content {descriptor.Digest} ({descriptor.MediaType}) is missing from the store");
    }

    static T Check<T>(T document, Func<T, int> schemaVersion, Descriptor descriptor) =>
        schemaVersion(document) == 2
            ? document
            : throw new LabException(ErrorKind.InvalidParameter,
                $"{descriptor.Digest} has schemaVersion {schemaVersion(document)}; only 2 is supported");
}
