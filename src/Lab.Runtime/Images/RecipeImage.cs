using System.Text.RegularExpressions;

namespace Lab.Runtime.Images;

/// <summary>A base image built from a recipe folder (<c>labs/images/&lt;name&gt;/build</c>, a bash script that
/// fills <c>$ROOTFS</c>) into a <see cref="LayerStore"/>. The store remembers which recipe hash produced which
/// layer, so an unchanged recipe is never rebuilt, and a changed one gets a new layer beside the old (machines
/// still running on the old layer keep it).</summary>
public sealed partial class RecipeImage : IBaseImage
{
    readonly LayerStore _store;

    public RecipeImage(string name, string recipeDir, string imageStoreDir)
    {
        if (!NamePattern().IsMatch(name))
            throw new LabException(ErrorKind.InvalidParameter,
                $"image name '{name}' must be lowercase letters, digits, '.', '_' or '-'");
        Name = name;
        RecipeDir = Path.GetFullPath(recipeDir);
        _store = new LayerStore(imageStoreDir);
    }

    public string Name { get; }
    public string RecipeDir { get; }
    public LayerStore Store => _store;

    public async Task<string> EnsureBuiltAsync(IProgress<string>? progress = null, CancellationToken ct = default)
    {
        if (!File.Exists(Path.Combine(RecipeDir, BuildScript.FileName)))
            throw new LabException(ErrorKind.NotFound,
                $"image recipe '{RecipeDir}' has no '{BuildScript.FileName}' script");
        var recipeHash = RecipeHash.Compute(RecipeDir);

        // Records are written atomically after their layer, so a lock-free look is safe; it keeps the common
        // case (image already built) free of lock traffic.
        if (CurrentLayer(recipeHash) is { } ready) return ready;

        using var _ = await StoreLock.AcquireAsync(_store.LockPath(Name),
            () => progress?.Report($"waiting for another build of image '{Name}' to finish"), ct);
        if (CurrentLayer(recipeHash) is { } builtMeanwhile) return builtMeanwhile;

        return await BuildAsync(recipeHash, progress, ct);
    }

    /// <summary>The layer built from this exact recipe, if the store has it.</summary>
    string? CurrentLayer(string recipeHash) =>
        ImageRecord.TryLoad(_store.RecordPath(Name)) is { } record
        && record.RecipeHash == recipeHash
        && Directory.Exists(_store.LayerPath(record.Layer))
            ? _store.LayerPath(record.Layer)
            : null;

    async Task<string> BuildAsync(string recipeHash, IProgress<string>? progress, CancellationToken ct)
    {
        _store.RemoveStaleScratchDirs(Name);
        Directory.CreateDirectory(_store.LogsDir);
        var logPath = Path.Combine(_store.LogsDir, $"{Name}-{DateTime.UtcNow:yyyyMMdd'T'HHmmss.fff'Z'}.log");
        progress?.Report($"building image '{Name}' (recipe {recipeHash[..19]}…, log: {logPath})");

        var scratch = _store.CreateScratchDir(Name);
        try
        {
            var rootfs = Directory.CreateDirectory(Path.Combine(scratch, "rootfs")).FullName;
            var cache = Directory.CreateDirectory(_store.CacheDir(Name)).FullName;
            await BuildScript.RunAsync(Name, RecipeDir, rootfs, cache, logPath, progress, ct);

            progress?.Report($"storing image '{Name}' as a content-addressed layer");
            var layer = await _store.CommitAsync(rootfs, ct);
            Directory.CreateDirectory(Path.GetDirectoryName(_store.RecordPath(Name))!);
            new ImageRecord(Name, recipeHash, layer.Digest, DateTimeOffset.UtcNow, layer.Size)
                .Save(_store.RecordPath(Name));
            File.AppendAllText(logPath, $"# stored as {layer.Digest} ({layer.Size} bytes)\n");
            progress?.Report($"image '{Name}' ready: {layer.Digest}");
            return layer.Path;
        }
        finally
        {
            ScratchDir.Delete(scratch);
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex NamePattern();
}
