namespace Lab.Engine.Api;

/// <summary>The volumes part of <c>docker system df</c>: the volumes feature registers one (returning dockerd's
/// volume.Volume objects with UsageData {Size, RefCount}); until it exists a machine has no volumes.</summary>
public interface IVolumeDiskUsage
{
    Task<IReadOnlyList<object>> VolumesOfAsync(string machine, CancellationToken ct);
}

/// <summary>The build cache part of <c>docker system df</c> (dockerd's build.CacheRecord objects): the builder
/// registers one; without it the cache is empty.</summary>
public interface IBuildCacheDiskUsage
{
    Task<IReadOnlyList<object>> RecordsOfAsync(string machine, CancellationToken ct);
}
