namespace Lab.Runtime.Images.Oci;

/// <summary>The content store as one image operation (a load, an import, a pull) sees it: it records the blobs the
/// operation publishes that the store did not hold before, and holds every blob the operation touches (<see
/// cref="ContentInUse"/>) until it ends. When the operation is refused part-way (the machine's disk quota, a bad
/// archive), <see cref="Undo"/> takes out what it added that no image references and no other running operation
/// holds — the shared store is left as it was, as containerd's garbage collector would leave it, but only for the
/// failed operation's own blobs: a store-wide sweep would need to know every holder of a blob (recipe builds,
/// containers, the registry's uploads), this needs only the images' names. Dispose (success) just lets go.</summary>
public sealed class ContentWrites(IContentStore store, string storeRoot, Func<IEnumerable<Descriptor>> images)
    : IContentStore, IDisposable
{
    readonly ContentInUse _inUse = ContentInUse.For(storeRoot);
    readonly HashSet<Digest> _added = [];

    /// <summary>The blobs this operation published that were not in the store before it.</summary>
    public IReadOnlyCollection<Digest> Added
    {
        get { lock (_added) return [.. _added]; }
    }

    public bool Exists(Digest digest)
    {
        _inUse.Hold(this, digest);
        return store.Exists(digest);
    }

    public long? SizeOf(Digest digest)
    {
        _inUse.Hold(this, digest);
        return store.SizeOf(digest);
    }

    public Stream OpenRead(Digest digest)
    {
        _inUse.Hold(this, digest);
        return store.OpenRead(digest);
    }

    public async Task<IStagedBlob> StageAsync(Stream content, CancellationToken ct = default) =>
        new Staged(this, await store.StageAsync(content, ct));

    public async Task<BlobInfo> WriteAsync(Stream content, Digest? expected = null, CancellationToken ct = default)
    {
        using var staged = await StageAsync(content, ct);
        return staged.Commit(expected);
    }

    public bool Delete(Digest digest) => store.Delete(digest);

    public IEnumerable<Digest> List() => store.List();

    /// <summary>Removes the blobs this operation added that nothing references now; returns them.</summary>
    public IReadOnlyList<Digest> Undo() =>
        _inUse.ReleaseAndRemove(this, Added, () => ImageReferences.Digests(store, images()), store);

    public void Dispose() => _inUse.Release(this);

    BlobInfo Commit(IStagedBlob staged, Digest? expected)
    {
        // Held before the existence check, so a concurrent undo cannot remove it between the two.
        _inUse.Hold(this, staged.Digest);
        var existed = store.Exists(staged.Digest);
        var info = staged.Commit(expected);
        if (!existed)
            lock (_added) _added.Add(info.Digest);
        return info;
    }

    sealed class Staged(ContentWrites writes, IStagedBlob inner) : IStagedBlob
    {
        public Digest Digest => inner.Digest;
        public long Size => inner.Size;
        public Stream OpenRead() => inner.OpenRead();
        public BlobInfo Commit(Digest? expected = null) => writes.Commit(inner, expected);
        public void Dispose() => inner.Dispose();
    }
}
