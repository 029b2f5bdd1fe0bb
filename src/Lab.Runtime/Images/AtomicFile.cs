namespace Lab.Runtime.Images;

/// <summary>Write-to-temp, fsync, rename: after a crash the file holds either its old or its new contents.</summary>
static class AtomicFile
{
    public static void Write(string path, ReadOnlySpan<byte> contents)
    {
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(contents);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp); // no-op once moved
        }
    }
}
