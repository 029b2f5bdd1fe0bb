namespace Lab.Runtime.Images.Oci;

/// <summary>The image store as the rest of the runtime sees it: shared blobs and unpacked layers, and one name
/// table per namespace (a lab machine's name, or <see cref="Library"/> for the classroom's base images).</summary>
public sealed class ImageStore
{
    /// <summary>The namespace of the base images every machine can pull (docker.io/library/*).</summary>
    public const string Library = "library";

    public ImageStore(string root)
    {
        Root = Path.GetFullPath(root);
        Content = new FileContentStore(Root);
        Reader = new ImageReader(Content);
        Layers = new LayerUnpacker(Content, Root);
    }

    public string Root { get; }
    public FileContentStore Content { get; }
    public ImageReader Reader { get; }
    public LayerUnpacker Layers { get; }

    public TagStore Names(string @namespace) => new(Root, @namespace, Charge);

    /// <summary>Who pays for a namespace's private layers (see <see cref="PrivateLayers"/>): the machines' runtime
    /// sets it; every <see cref="TagStore"/> made by <see cref="Names"/> reserves through it before it names.</summary>
    public ILayerCharge Charge { get; set; } = NoLayerCharge.Instance;

    /// <summary>The images a namespace's build cache keeps (kept by the Engine's builder): they hold layers too.</summary>
    public Func<string, IEnumerable<Descriptor>> Cached { get; set; } = _ => [];

    /// <summary>A namespace's images that have no name (docker's &lt;none&gt;:&lt;none&gt;, kept by the Engine beside the
    /// tag store): `docker run &lt;id&gt;` of one must find it as dockerd does.</summary>
    public Func<string, IEnumerable<Descriptor>> Untagged { get; set; } = _ => [];

    /// <summary>What a name or an id means in <paramref name="namespace"/>, as dockerd resolves `docker run X`: a
    /// reference (<c>busybox</c> = docker.io/library/busybox:latest), else a full or abbreviated image id
    /// (the config digest, with or without <c>sha256:</c>). Null when nothing matches.</summary>
    public LocalImage? Find(string @namespace, string nameOrId)
    {
        var names = Names(@namespace);
        if (Reference.TryParse(nameOrId, out var reference) && names.Resolve(reference!) is { } target)
            return Load(target, names);
        var hex = nameOrId.StartsWith("sha256:", StringComparison.Ordinal) ? nameOrId[7..] : nameOrId;
        if (hex.Length == 0 || !hex.All(Uri.IsHexDigit)) return null;
        return names.List().Select(tagged => tagged.Target).Concat(Untagged(@namespace))
            .Select(target => Load(target, names))
            .FirstOrDefault(image => image.Id.Hex.StartsWith(hex, StringComparison.Ordinal));
    }

    public LocalImage Load(Descriptor target, TagStore names)
    {
        var manifestDescriptor = Reader.ResolveManifest(target);
        var manifest = Reader.ReadManifest(manifestDescriptor);
        var config = Reader.ReadConfig(manifest.Config);
        var tags = names.List().Where(t => t.Target.Digest == target.Digest).Select(t => t.Reference).ToList();
        return new LocalImage(manifest.Config.Digest, target, manifest, config, tags);
    }

    /// <summary>The image's layer directories, top first (overlayfs lowerdir order), unpacking any that are not
    /// yet; shared by every container of every machine.</summary>
    public async Task<IReadOnlyList<string>> LayerDirectoriesAsync(LocalImage image, CancellationToken ct = default)
    {
        var dirs = new List<string>();
        var diffIds = image.Config.RootFs.DiffIds;
        if (diffIds.Count != image.Manifest.Layers.Count)
            throw new LabException(ErrorKind.InvalidParameter,
                $"image {image.Id} has {image.Manifest.Layers.Count} layers but {diffIds.Count} diff ids");
        for (int i = 0; i < diffIds.Count; i++)
            dirs.Add((await Layers.UnpackAsync(image.Manifest.Layers[i].Digest, diffIds[i], ct)).Path);
        dirs.Reverse();
        return dirs;
    }
}

/// <summary>An image present in a namespace: <see cref="Id"/> is its config digest, as Docker's image id.</summary>
public sealed record LocalImage(Digest Id, Descriptor Target, ImageManifest Manifest, ImageConfig Config,
    IReadOnlyList<Reference> Names);
