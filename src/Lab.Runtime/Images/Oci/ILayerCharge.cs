namespace Lab.Runtime.Images.Oci;

/// <summary>Charges a namespace's owner (a lab machine) for the image layers only it holds: every change that can
/// give a machine new layers (a name, an untagged image, a build-cache entry) runs through
/// <see cref="CommitAsync"/>, which reserves the space first and makes the change only if it fits; a change that
/// can only take layers away is followed by <see cref="SettleAsync"/>, which gives the space back.</summary>
public interface ILayerCharge
{
    /// <summary>Reserves room for what <paramref name="adding"/> (manifest or index descriptors) would add to the
    /// namespace's layers, then runs <paramref name="commit"/>, alone among this namespace's charge changes. When
    /// the room is not there, throws a Conflict naming the limit and <paramref name="commit"/> never runs.</summary>
    Task CommitAsync(string @namespace, IEnumerable<Descriptor> adding, Func<Task> commit, CancellationToken ct);

    /// <summary>Makes the charge exactly what the namespace holds now (after a removal: the space comes back).</summary>
    Task SettleAsync(string @namespace, CancellationToken ct);
}

/// <summary>No owner to charge: the classroom's namespaces, a store without machines (tools, unit tests).</summary>
public sealed class NoLayerCharge : ILayerCharge
{
    public static readonly NoLayerCharge Instance = new();

    public Task CommitAsync(string @namespace, IEnumerable<Descriptor> adding, Func<Task> commit, CancellationToken ct) =>
        commit();

    public Task SettleAsync(string @namespace, CancellationToken ct) => Task.CompletedTask;
}
