namespace Lab.Runtime.Images;

/// <summary>A root filesystem image that lab machines boot from: one read-only, content-addressed layer.</summary>
public interface IBaseImage
{
    string Name { get; }

    /// <summary>Builds the image if its recipe changed (or it was never built) and returns the path of the
    /// read-only layer directory that becomes the overlay lowerdir. Progress lines are human readable.</summary>
    Task<string> EnsureBuiltAsync(IProgress<string>? progress = null, CancellationToken ct = default);
}

/// <summary>A recipe step failed: says which step and where the full log is.</summary>
public sealed class ImageBuildException(string image, string step, string logPath, Exception? inner = null)
    : LabException(ErrorKind.Unavailable,
        $"building image '{image}' failed at step '{step}'; full log: {logPath}", inner)
{
    public string Image { get; } = image;
    public string Step { get; } = step;
    public string LogPath { get; } = logPath;
}
