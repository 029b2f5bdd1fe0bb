using Lab.Engine.Http;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Images;

/// <summary><c>docker save</c> and <c>docker load</c> for one machine, on the store's exporter and importer.</summary>
public static class ImageArchives
{
    /// <summary>What <c>docker save a b</c> writes: each name resolved first (an unknown one is a 404 before
    /// any byte is sent); a name keeps its tag in the archive, an image saved by id goes without names.</summary>
    public static IReadOnlyList<ArchiveImage> ForSave(this MachineImages images, IReadOnlyList<string> refsOrIds)
    {
        if (refsOrIds.Count == 0) throw EngineErrors.InvalidParameter("no images specified");
        var result = new List<ArchiveImage>();
        foreach (var refOrId in refsOrIds)
        {
            var image = images.Get(refOrId);
            var named = image.Names.FirstOrDefault(n =>
                Reference.TryParse(refOrId, out var r) && r!.WithDefaultTag() == n && n.Digest is null);
            result.Add(named is null
                ? new ArchiveImage(image.ManifestDescriptor, [])
                : new ArchiveImage(image.ManifestDescriptor, [named]));
        }
        return result;
    }

    /// <summary>Imports an archive and names its images in this machine. Yields the lines dockerd prints:
    /// "Loaded image: busybox:latest", "Loaded image ID: sha256:…" for an image without names, and dockerd's
    /// notice when a name moves away from an image that is then kept dangling.</summary>
    /// <param name="content">Where the archive's blobs go: the machine's store, or one that undoes them on failure
    /// (<see cref="ImageCatalog.UndoneOnFailureAsync"/>).</param>
    public static Task<IReadOnlyList<string>> LoadAsync(this MachineImages images, Stream archive, IContentStore content,
        CancellationToken ct) =>
        images.ChangeAsync<IReadOnlyList<string>>(async () =>
        {
            var imported = await new ImageImporter(content).ImportTarAsync(archive, ct);
            var lines = new List<string>();
            var reader = new ImageReader(images.Store);
            foreach (var image in imported)
            {
                var manifest = reader.ResolveManifest(image.Target);
                var id = reader.ReadManifest(manifest).Config.Digest;
                if (image.Names.Count == 0)
                {
                    if (images.List().All(i => i.Id != id))
                        await images.Names.Charge.CommitAsync(images.Machine, [manifest],
                            () => Task.Run(() => images.Dangling.Add(manifest)), ct);
                    lines.Add($"Loaded image ID: {id}");
                    continue;
                }
                foreach (var name in image.Names.Select(n => n.WithDefaultTag()).Distinct())
                {
                    var displaced = await images.NameAsync(name, image.Target, ct);
                    if (displaced is not null)
                        lines.Add($"The image {name.FamiliarString} already exists, renaming the old one with ID {displaced.Id} to empty string");
                    lines.Add($"Loaded image: {name.FamiliarString}");
                }
            }
            return lines;
        }, ct);
}
