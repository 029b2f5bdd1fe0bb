using Lab.Runtime.Images;

namespace Lab.Bench;

/// <summary>An already-built rootfs directory used as a machine's image.</summary>
public sealed class DirectoryImage(string path) : IBaseImage
{
    public string Name => "bench";
    public Task<string> EnsureBuiltAsync(IProgress<string>? progress = null, CancellationToken ct = default) => Task.FromResult(path);
}
