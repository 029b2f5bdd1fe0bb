using System.Text.RegularExpressions;
using Lab.Engine.Http;
using Lab.Runtime;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Images;

/// <summary>The images of one machine, as dockerd's image service presents them: looked up by name, id or id
/// prefix, listed one entry per image id (a config digest) with all its names. Read operations need no lock;
/// changes go through <see cref="ChangeAsync"/>.</summary>
public sealed partial class MachineImages(string machine, IContentStore store, TagStore names, DanglingImages dangling,
    ImageParents parents, IImageUsers users, SemaphoreSlim changeLock)
{
    readonly ImageReader _reader = new(store);

    public string Machine => machine;
    public IContentStore Store => store;
    public TagStore Names => names;
    internal DanglingImages Dangling => dangling;
    public ImageParents Parents => parents;
    internal IReadOnlyList<ImageUser> UsersOf(EngineImage image) => users.UsersOf(machine, image.Id);

    /// <summary>One entry per image id, newest first (as <c>docker images</c> sorts). Names whose content is
    /// gone or has nothing for this platform are left out rather than failing the whole list.</summary>
    public IReadOnlyList<EngineImage> List()
    {
        var byId = new Dictionary<Digest, EngineImage>();
        foreach (var tagged in names.List())
            Add(tagged.Target, tagged.Reference);
        foreach (var descriptor in dangling.Load())
            Add(descriptor, null);
        // Parents as dockerd links build steps: only while the parent is still an image of the machine.
        var links = parents.Load();
        foreach (var image in byId.Values.ToList())
            if (links.TryGetValue(image.Id.ToString(), out var parent) && Digest.TryParse(parent, out var id) && byId.ContainsKey(id))
                byId[image.Id] = image with { Parent = id };
        var withChildren = byId.Values.Select(i => i.Parent).OfType<Digest>().ToHashSet();
        foreach (var id in withChildren) byId[id] = byId[id] with { HasChildren = true };
        return byId.Values.OrderByDescending(i => i.Created).ThenBy(i => i.Id.Hex, StringComparer.Ordinal).ToList();

        void Add(Descriptor target, Reference? name)
        {
            if (TryRead(target) is not { } image) return;
            if (byId.TryGetValue(image.Id, out var known))
            {
                if (name is not null) byId[image.Id] = known with { Names = [.. known.Names, name] };
                return;
            }
            byId[image.Id] = image with { Names = name is null ? [] : [name] };
        }
    }

    /// <summary>dockerd's lookup order: a full id (<c>sha256:…</c> or 64 hex), a name (tag or digest), then an
    /// unambiguous id prefix. Null when nothing matches; a malformed name is InvalidParameter.</summary>
    public EngineImage? Find(string refOrId)
    {
        if (string.IsNullOrEmpty(refOrId)) throw EngineErrors.InvalidParameter("image name cannot be blank");
        var fullId = Digest.TryParse(refOrId, out var d) ? d : FullHex().IsMatch(refOrId) ? Digest.FromHex(refOrId) : (Digest?)null;
        if (fullId is { } id) return List().FirstOrDefault(i => i.Id == id);

        var reference = Reference.Parse(refOrId);
        if (names.Resolve(reference) is { } target && TryRead(target) is { } found)
            return List().FirstOrDefault(i => i.Id == found.Id);
        return ShortHex().IsMatch(refOrId) ? ByPrefix(refOrId) : null;
    }

    /// <summary><see cref="Find"/>, or dockerd's "No such image: busybox:latest" (404).</summary>
    public EngineImage Get(string refOrId) => Find(refOrId) ?? throw NoSuchImage(refOrId);

    public static LabException NoSuchImage(string refOrId) =>
        EngineErrors.NotFound($"No such image: {Familiar(refOrId)}");

    /// <summary>How dockerd names a reference in messages: familiar, with the default tag added.</summary>
    public static string Familiar(string refOrId) =>
        !ShortHex().IsMatch(refOrId) && !refOrId.StartsWith("sha256:", StringComparison.Ordinal)
        && Reference.TryParse(refOrId, out var r) ? r!.WithDefaultTag().FamiliarString : refOrId;

    EngineImage? ByPrefix(string prefix)
    {
        var matches = List().Where(i => i.Id.Hex.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw EngineErrors.InvalidParameter($"multiple IDs found with provided prefix: {prefix}"),
        };
    }

    /// <summary>Reads the image a name points to; null when its content is missing or unusable here.</summary>
    EngineImage? TryRead(Descriptor target)
    {
        try
        {
            var manifestDescriptor = _reader.ResolveManifest(target);
            var manifest = _reader.ReadManifest(manifestDescriptor);
            var config = _reader.ReadConfig(manifest.Config);
            return new EngineImage(manifest.Config.Digest, target, manifestDescriptor, manifest, config, []);
        }
        catch (LabException)
        {
            return null;
        }
    }

    /// <summary>Runs a change of this machine's images alone (tag, rmi, load, prune of one machine never
    /// interleave; other machines are not held up).</summary>
    public async Task<T> ChangeAsync<T>(Func<Task<T>> change, CancellationToken ct)
    {
        await changeLock.WaitAsync(ct);
        try
        {
            return await change();
        }
        finally
        {
            // What a change took away (rmi, prune, a name moved) goes back to the machine's disk.
            try { await names.Charge.SettleAsync(machine, CancellationToken.None); }
            finally { changeLock.Release(); }
        }
    }

    /// <summary>Gives <paramref name="reference"/> to the image a name used to point to; an image that loses
    /// its last name that way stays, dangling (as dockerd keeps it). Returns the image it displaced, if any.</summary>
    internal async Task<EngineImage?> NameAsync(Reference reference, Descriptor target, CancellationToken ct)
    {
        var previous = names.Resolve(reference) is { } old && old.Digest != target.Digest ? TryRead(old) : null;
        await names.TagAsync(reference, target, ct);
        dangling.Remove(target.Digest);
        if (previous is not null && List().All(i => i.Id != previous.Id))
        {
            dangling.Add(previous.ManifestDescriptor);
            return previous;
        }
        return null;
    }

    [GeneratedRegex("^[a-f0-9]{64}$")]
    private static partial Regex FullHex();

    [GeneratedRegex("^[a-f0-9]{1,63}$")]
    private static partial Regex ShortHex();
}
