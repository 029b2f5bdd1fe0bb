using Lab.Engine.Images;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Api;

/// <summary>Gives a machine an image made by <see cref="ChildImages.CreateChildAsync"/> (commit, import, each build
/// step), as <c>docker load</c> does: with a name, the name moves to it (an image that loses its last name that way
/// stays, dangling); without one, it is kept as an untagged <c>&lt;none&gt;:&lt;none&gt;</c> image of the machine.
/// With a <paramref name="parent"/> (commit: the container's image), the image is linked to it as dockerd's image
/// store links a committed image: <c>docker image inspect</c> shows it as Parent, <c>docker history</c> shows the
/// parent's id at its layers, <c>docker rmi</c> of the image also removes a parent left untagged and unused.</summary>
public static class CommitImages
{
    public static Task<EngineImage> RegisterAsync(this MachineImages images, LocalImage image, Reference? name,
        CancellationToken ct, Digest? parent = null) =>
        images.ChangeAsync(async () =>
        {
            if (parent is { } parentId) images.Parents.Set(image.Id, parentId);
            if (name is not null)
                await images.NameAsync(name.WithDefaultTag(), image.Target, ct);
            else if (images.List().All(i => i.Id != image.Id))
                await images.Names.Charge.CommitAsync(images.Machine, [image.Target],
                    () => Task.Run(() => images.Dangling.Add(image.Target)), ct);
            return images.Get(image.Id.ToString());
        }, ct);

    /// <summary>A machine's image as the runtime's store takes it (the parent of a new image).</summary>
    public static LocalImage ToLocalImage(this EngineImage image) =>
        new(image.Id, image.Target, image.Manifest, image.Config, image.Names);
}
