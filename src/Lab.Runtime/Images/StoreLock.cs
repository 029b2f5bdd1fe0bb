namespace Lab.Runtime.Images;

/// <summary>An exclusive lock on a file (flock under .NET's FileShare.None), held by whoever builds an image, so
/// two processes — or two callers in one process — never build the same image into the store at once. The OS
/// drops it if the holder dies.</summary>
static class StoreLock
{
    static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    public static async Task<IDisposable> AcquireAsync(string path, Action onFirstWait, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var waited = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException))
            {
                if (!waited) onFirstWait();
                waited = true;
                await Task.Delay(RetryDelay, ct);
            }
        }
    }
}
