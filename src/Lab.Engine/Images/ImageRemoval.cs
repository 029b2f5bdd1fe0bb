using Lab.Engine.Http;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Images;

/// <summary>One line of <c>docker rmi</c>'s answer.</summary>
public sealed record DeleteRecord(
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Untagged = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Deleted = null,
    [property: System.Text.Json.Serialization.JsonIgnore] bool IsLayer = false);

/// <summary><c>docker rmi</c> and <c>docker image prune</c> with dockerd's rules (daemon/images/image_delete.go):
/// removing a name only untags while the image has other names; removing by id removes every name when they
/// are all in one repository, and wants force otherwise; a container using the image blocks deletion (a
/// running one even with force). Deleting an image removes it from this machine only: its blobs and layers
/// are shared with other machines and stay in the store.</summary>
public static class ImageRemoval
{
    /// <param name="prune">Also delete the image's parents (build steps) that are left without name, child or
    /// container, as dockerd does unless <c>docker rmi --no-prune</c>.</param>
    public static Task<IReadOnlyList<DeleteRecord>> DeleteAsync(this MachineImages images, string refOrId, bool force,
        CancellationToken ct, bool prune = true) =>
        images.ChangeAsync(() => DeleteLockedAsync(images, refOrId, force, prune, ct), ct);

    static async Task<IReadOnlyList<DeleteRecord>> DeleteLockedAsync(MachineImages images, string refOrId, bool force,
        bool prune, CancellationToken ct)
    {
        var image = images.Get(refOrId);
        var records = new List<DeleteRecord>();
        var users = images.UsersOf(image);
        var byId = IsIdReference(image, refOrId);

        if (!byId)
        {
            var reference = Reference.Parse(refOrId).WithDefaultTag();
            if (image.Names.Count == 1 && !force && users.FirstOrDefault() is { } user)
                throw EngineErrors.Conflict(
                    $"conflict: unable to remove repository reference \"{refOrId}\" (must force) - container {user.ShortId} is using its referenced image {image.ShortId}");
            await images.Names.UntagAsync(reference, ct);
            records.Add(new DeleteRecord(Untagged: reference.FamiliarString));
            var remaining = image.Names.Where(n => n != reference).ToList();
            // The last tag of a repository goes: its repo@digest names go with it (they would only confuse).
            if (reference.Digest is null && !remaining.Any(n => n.Digest is null && n.Name == reference.Name))
            {
                foreach (var digestName in remaining.Where(n => n.Digest is not null && n.Name == reference.Name).ToList())
                {
                    await images.Names.UntagAsync(digestName, ct);
                    records.Add(new DeleteRecord(Untagged: digestName.FamiliarString));
                    remaining.Remove(digestName);
                }
            }
            if (remaining.Count > 0) return records;
            // Its last name is gone. An image still used by a container stays, dangling, as dockerd keeps it; one
            // that later build steps were made on stays as their intermediate image.
            if (users.Count > 0 || image.HasChildren)
            {
                images.Dangling.Add(image.ManifestDescriptor);
                return records;
            }
        }
        else
        {
            if (image.HasChildren)
                throw EngineErrors.Conflict(
                    $"conflict: unable to delete {image.ShortId} (cannot be forced) - image has dependent child images");
            if (users.FirstOrDefault(u => u.Running) is { } running)
                throw EngineErrors.Conflict(
                    $"conflict: unable to delete {image.ShortId} (cannot be forced) - image is being used by running container {running.ShortId}");
            if (!force && users.FirstOrDefault() is { } stopped)
                throw EngineErrors.Conflict(
                    $"conflict: unable to delete {image.ShortId} (must be forced) - image is being used by stopped container {stopped.ShortId}");
            var repositories = image.Names.Select(n => n.Name).Distinct().Count();
            if (!force && (repositories > 1 || image.Tags.Count() > 1))
                throw EngineErrors.Conflict(
                    $"conflict: unable to delete {image.ShortId} (must be forced) - image is referenced in multiple repositories");
            foreach (var name in image.Names)
            {
                await images.Names.UntagAsync(name, ct);
                records.Add(new DeleteRecord(Untagged: name.FamiliarString));
            }
        }

        records.Add(new DeleteRecord(Deleted: image.Id.ToString()));
        Forget(images, image, records);
        if (prune) DeleteUnusedParents(images, image, records);
        return records;
    }

    /// <summary>The image leaves the machine: no longer untagged, no longer a build step's image. The layers no
    /// other image of the machine has are reported after it by chain id, as dockerd reports the layers it releases
    /// (`docker rmi nginx` lists them); none while a container still stands on the image.</summary>
    static void Forget(MachineImages images, EngineImage image, List<DeleteRecord>? records = null)
    {
        images.Dangling.Remove(image.ManifestDescriptor.Digest);
        images.Parents.Remove(image.Id);
        if (records is null || images.UsersOf(image).Count > 0) return;
        var kept = images.List().SelectMany(i => ChainIds(i.Config.RootFs.DiffIds)).ToHashSet();
        var chain = ChainIds(image.Config.RootFs.DiffIds);
        for (var k = chain.Count - 1; k >= 0 && !kept.Contains(chain[k]); k--)
            records.Add(new DeleteRecord(Deleted: chain[k].ToString(), IsLayer: true));
    }

    /// <summary>OCI chain ids: the first layer's diff id, then sha256("&lt;parent chain&gt; &lt;diff id&gt;").</summary>
    static List<Digest> ChainIds(IReadOnlyList<Digest> diffIds)
    {
        var chain = new List<Digest>();
        foreach (var diffId in diffIds)
            chain.Add(chain.Count == 0 ? diffId : Digest.FromHex(Convert.ToHexStringLower(
                System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes($"{chain[^1]} {diffId}")))));
        return chain;
    }

    /// <summary>dockerd's prune of parents after a delete: walks up the build steps the image was made on,
    /// deleting each that now has no name, no other child and no container, and stops at the first that is
    /// still needed.</summary>
    static void DeleteUnusedParents(MachineImages images, EngineImage deleted, List<DeleteRecord> records)
    {
        var parentId = deleted.Parent;
        while (parentId is { } id)
        {
            var parent = images.List().FirstOrDefault(i => i.Id == id);
            if (parent is null || parent.Names.Count > 0 || parent.HasChildren || images.UsersOf(parent).Count > 0) return;
            records.Add(new DeleteRecord(Deleted: parent.Id.ToString()));
            Forget(images, parent, records);
            parentId = parent.Parent;
        }
    }

    /// <summary>Whether the user named the image by its id (or an id prefix) rather than by one of its names.</summary>
    static bool IsIdReference(EngineImage image, string refOrId)
    {
        var hex = refOrId.StartsWith("sha256:", StringComparison.Ordinal) ? refOrId[7..] : refOrId;
        return image.Id.Hex.StartsWith(hex, StringComparison.Ordinal)
            && !image.Names.Any(n => Reference.TryParse(refOrId, out var r) && r!.WithDefaultTag() == n);
    }

    /// <summary><c>docker image prune</c>: dangling images (or, with <paramref name="all"/>, every image no
    /// container uses) that match the filters. Returns what went and the bytes freed from this machine's view.</summary>
    public static Task<PruneReport> PruneAsync(this MachineImages images, bool all, Func<EngineImage, bool> matches,
        CancellationToken ct) =>
        images.ChangeAsync(async () =>
        {
            var deleted = new List<DeleteRecord>();
            long reclaimed = 0;
            foreach (var candidate in images.List().Where(i => (all || i.IsDangling) && matches(i)))
            {
                // Deleting an image may have taken its parents with it, or left a parent without children.
                if (images.List().FirstOrDefault(i => i.Id == candidate.Id) is not { HasChildren: false } image) continue;
                if (images.UsersOf(image).Count > 0) continue;
                foreach (var name in image.Names)
                {
                    await images.Names.UntagAsync(name, ct);
                    deleted.Add(new DeleteRecord(Untagged: name.FamiliarString));
                }
                deleted.Add(new DeleteRecord(Deleted: image.Id.ToString()));
                Forget(images, image, deleted);
                reclaimed += image.Size;
                DeleteUnusedParents(images, image, deleted);
            }
            return new PruneReport(deleted.Count == 0 ? null : deleted, reclaimed);
        }, ct);
}

/// <summary>dockerd's prune answer.</summary>
public sealed record PruneReport(IReadOnlyList<DeleteRecord>? ImagesDeleted, long SpaceReclaimed);
