using System.Collections.Concurrent;

namespace Lab.Runtime.Images.Oci;

/// <summary>Which blobs of a content store the image operations now running in this process hold: written, found
/// already there, or read (<see cref="ContentWrites"/> records them). An undo removes a blob only under this lock and
/// only when no other operation holds it, so an operation that found a blob present and will name it later never
/// loses it; one that comes after the removal finds it absent and writes it again. One registry per store root.
/// (A server owns its LAB_DATA; processes sharing a store otherwise are the tests' image cache, and tools.)</summary>
public sealed class ContentInUse
{
    static readonly ConcurrentDictionary<string, ContentInUse> ByRoot = new(StringComparer.Ordinal);

    readonly object _lock = new();
    readonly Dictionary<Digest, HashSet<object>> _holders = [];

    ContentInUse() { }

    public static ContentInUse For(string storeRoot) => ByRoot.GetOrAdd(Path.GetFullPath(storeRoot), _ => new ContentInUse());

    public void Hold(object holder, Digest digest)
    {
        lock (_lock)
        {
            if (!_holders.TryGetValue(digest, out var holders)) _holders[digest] = holders = [];
            holders.Add(holder);
        }
    }

    public bool IsHeld(Digest digest)
    {
        lock (_lock) return _holders.ContainsKey(digest);
    }

    public void Release(object holder)
    {
        lock (_lock) ReleaseLocked(holder);
    }

    /// <summary>Releases <paramref name="holder"/>'s blobs, then deletes those of <paramref name="candidates"/>
    /// that nobody else holds and that <paramref name="referenced"/> (what every image still names, computed
    /// under the lock) does not contain. Returns the deleted ones.</summary>
    public IReadOnlyList<Digest> ReleaseAndRemove(object holder, IReadOnlyCollection<Digest> candidates,
        Func<ISet<Digest>> referenced, IContentStore store)
    {
        lock (_lock)
        {
            ReleaseLocked(holder);
            var free = candidates.Where(d => !_holders.ContainsKey(d)).ToList();
            if (free.Count == 0) return [];
            var kept = referenced();
            var removed = free.Where(d => !kept.Contains(d)).ToList();
            foreach (var digest in removed) store.Delete(digest);
            return removed;
        }
    }

    void ReleaseLocked(object holder)
    {
        foreach (var (digest, holders) in _holders.ToList())
            if (holders.Remove(holder) && holders.Count == 0)
                _holders.Remove(digest);
    }
}
