using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Lab.Runtime.Images.Oci;

/// <summary>An image name → manifest (or index) descriptor map, one per namespace — a lab machine, or a shared
/// namespace for the classroom's base images — in <c>&lt;store&gt;/names/&lt;namespace&gt;.json</c>. Blobs and
/// layers are shared by everyone; names are not: a student's <c>docker tag</c> or <c>docker rmi</c> only ever
/// rewrites their own namespace's file.
///
/// Keys are full normalised references (<c>docker.io/library/nginx:latest</c>, or <c>name@sha256:…</c> for an
/// image pulled by digest). Changes are read-modify-write under a file lock and land atomically, so readers
/// need no lock and see the map before or after a change, never half of one.</summary>
public sealed partial class TagStore
{
    readonly string _path;
    readonly string _lockPath;

    /// <param name="charge">Who pays for the layers a name gives this namespace (a lab machine's disk quota).</param>
    public TagStore(string storeRoot, string @namespace, ILayerCharge? charge = null)
    {
        Charge = charge ?? NoLayerCharge.Instance;
        if (!NamespacePattern().IsMatch(@namespace))
            throw new LabException(ErrorKind.InvalidParameter,
                $"invalid image namespace '{@namespace}': use 1-128 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
        Namespace = @namespace;
        var root = Path.GetFullPath(storeRoot);
        _path = Path.Combine(root, "names", @namespace + ".json");
        _lockPath = Path.Combine(root, "locks", $"names-{@namespace}.lock");
    }

    public string Namespace { get; }

    /// <summary>Who pays for this namespace's private layers; the Engine settles it after a removal.</summary>
    public ILayerCharge Charge { get; }

    /// <summary>What <paramref name="reference"/> names here; a reference without tag or digest means
    /// <c>:latest</c>, as in Docker. Null when the name is unknown in this namespace.</summary>
    public Descriptor? Resolve(Reference reference) =>
        Load().GetValueOrDefault(reference.WithDefaultTag().ToString());

    /// <summary>Every name in this namespace, sorted.</summary>
    public IReadOnlyList<TaggedImage> List() =>
        [.. Load().Select(pair => new TaggedImage(Reference.Parse(pair.Key), pair.Value))];

    /// <summary>Names <paramref name="target"/> <paramref name="reference"/> (with <c>:latest</c> if it has no
    /// tag), replacing what the name meant before. A digest reference must name that very digest.</summary>
    public async Task TagAsync(Reference reference, Descriptor target, CancellationToken ct = default)
    {
        if (reference.Digest is { } digest && digest != target.Digest)
            throw new LabException(ErrorKind.InvalidParameter,
                $"reference {reference} names digest {digest}, not the image {target.Digest} it was to be given to");
        await UpdateAsync(names => names[reference.WithDefaultTag().ToString()] = target, ct);
    }

    /// <summary>Removes a name; false when this namespace did not have it.</summary>
    public async Task<bool> UntagAsync(Reference reference, CancellationToken ct = default)
    {
        var removed = false;
        await UpdateAsync(names => removed = names.Remove(reference.WithDefaultTag().ToString()), ct);
        return removed;
    }

    async Task UpdateAsync(Action<SortedDictionary<string, Descriptor>> change, CancellationToken ct)
    {
        using var _ = await StoreLock.AcquireAsync(_lockPath, () => { }, ct);
        var names = Load();
        var before = names.Values.Select(d => d.Digest).ToHashSet();
        change(names);
        // What a name brings that the namespace did not hold is paid for before the name exists: when it does not
        // fit, the change fails whole and the file stays as it was. A removal is settled by the caller, once
        // the namespace's untagged images are updated too.
        var adding = names.Values.Where(d => !before.Contains(d.Digest)).ToList();
        await Charge.CommitAsync(Namespace, adding, () =>
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            AtomicFile.Write(_path, OciJson.Serialize(new NamesFile { References = names }, indented: true));
            return Task.CompletedTask;
        }, ct);
    }

    SortedDictionary<string, Descriptor> Load()
    {
        byte[] json;
        try
        {
            json = File.ReadAllBytes(_path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new SortedDictionary<string, Descriptor>(StringComparer.Ordinal);
        }
        // A corrupt file is an error, not an empty namespace: silently forgetting a student's images is worse.
        var file = OciJson.Deserialize<NamesFile>(json, $"image names file '{_path}'");
        return new SortedDictionary<string, Descriptor>(file.References, StringComparer.Ordinal);
    }

    sealed record NamesFile
    {
        [JsonPropertyName("references")]
        public IDictionary<string, Descriptor> References { get; init; } = new Dictionary<string, Descriptor>();
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,127}\z")]
    private static partial Regex NamespacePattern();
}

/// <summary>A name of a namespace and what it points to.</summary>
public sealed record TaggedImage(Reference Reference, Descriptor Target);
