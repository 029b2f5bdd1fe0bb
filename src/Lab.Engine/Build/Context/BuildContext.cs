using System.Formats.Tar;
using System.IO.Compression;
using Lab.Engine.Http;
using Lab.Runtime;
using Lab.Runtime.Archives;
using Lab.Runtime.Images.Oci;

namespace Lab.Engine.Build.Context;

/// <summary>The build context the client sent (a tar, maybe gzip-compressed), unpacked into a private directory
/// that COPY/ADD read from. Entry names that are absolute or climb out with "..", and entries that would be
/// written through a symlink of the context, are refused; the context may not be larger than the machine's disk
/// (it would not fit there either). Modes and mtimes are kept; owners are not (COPY gives root or --chown).</summary>
public sealed class BuildContext : IDisposable
{
    BuildContext(string root) => Root = root;

    /// <summary>The unpacked context's directory.</summary>
    public string Root { get; }

    /// <summary>Each entry's owner in the tar, by path below <see cref="Root"/>: ADD of a local archive keeps
    /// them (the files on disk belong to the server).</summary>
    public Dictionary<string, (int Uid, int Gid)> Owners { get; } = new(StringComparer.Ordinal);

    public static async Task<BuildContext> ReceiveAsync(Stream body, string workDir, long maxBytes, CancellationToken ct)
    {
        var context = new BuildContext(Directory.CreateDirectory(Path.Combine(workDir, "context")).FullName);
        try
        {
            var head = new byte[512];
            var read = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
            head = head[..read];
            var gzip = read >= 2 && head[0] == 0x1f && head[1] == 0x8b;
            if (!gzip && !HasTarHeader(head))
                throw EngineErrors.InvalidParameter("the build context is not a readable tar archive: its first header is invalid");
            if (read > maxBytes) throw TooLarge(maxBytes);
            await using var stream = new ContextBodyStream(head, body, maxBytes, padEnd: !gzip, () => TooLarge(maxBytes));
            await context.UnpackAsync(gzip ? new GZipStream(stream, CompressionMode.Decompress) : stream, maxBytes, ct);
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>An empty archive (a zero block) or a first tar header whose checksum holds: .NET's reader takes a
    /// block with no checksum for the end of the archive, so garbage would pass as empty.</summary>
    static bool HasTarHeader(byte[] block)
    {
        if (block.Length < 512) return false;
        if (block.All(b => b == 0)) return true;
        var field = System.Text.Encoding.ASCII.GetString(block, 148, 8).Trim('\0', ' ');
        if (field.Length == 0 || field.Any(c => c is < '0' or > '7')) return false;
        long sum = 0;
        for (var i = 0; i < 512; i++) sum += i is >= 148 and < 156 ? ' ' : block[i];
        return Convert.ToInt64(field, 8) == sum;
    }

    static LabException TooLarge(long maxBytes) => EngineErrors.InvalidParameter(
        $"the build context is larger than this machine's disk ({maxBytes >> 20} MiB): leave big files out with .dockerignore");

    async Task UnpackAsync(Stream file, long maxBytes, CancellationToken ct)
    {
        await using var tar = new XattrTarReader(file, leaveOpen: false);
        long total = 0;
        var directories = new List<(string Path, DateTimeOffset Time)>();
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = await tar.GetNextEntryAsync(ct);
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
            {
                throw EngineErrors.InvalidParameter($"the build context is not a readable tar archive: {e.Message}");
            }
            if (entry is null) break;
            total += entry.Length;
            if (total > maxBytes) throw TooLarge(maxBytes);
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes) continue;
            var relative = SafeRelative(entry.Name);
            if (relative is null) continue; // the root itself
            var target = Path.Combine(Root, relative);
            EnsureNoSymlinkOnTheWay(relative);
            Owners[relative] = (entry.Uid, entry.Gid);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            var mode = (UnixFileMode)((int)entry.Mode & 0xFFF);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(target);
                    File.SetUnixFileMode(target, mode | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    HostXattrs.Write(target, tar.Xattrs);
                    directories.Add((target, entry.ModificationTime));
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    using (var output = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
                        if (entry.DataStream is { } data) await CopyAsync(data, output, ct);
                    File.SetUnixFileMode(target, mode);
                    HostXattrs.Write(target, tar.Xattrs); // the CLI sends a file's capability: COPY keeps it, as dockerd's
                    File.SetLastWriteTimeUtc(target, entry.ModificationTime.UtcDateTime);
                    break;
                case TarEntryType.SymbolicLink:
                    if (File.Exists(target) || Directory.Exists(target)) File.Delete(target);
                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    var source = SafeRelative(entry.LinkName)
                        ?? throw EngineErrors.InvalidParameter($"unsafe hard link in build context: {entry.Name}");
                    EnsureNoSymlinkOnTheWay(source);
                    File.Copy(Path.Combine(Root, source), target, overwrite: true);
                    break;
                default:
                    break; // devices and fifos have no place in a build context
            }
        }
        // Directory times last: writing their children changed them.
        foreach (var (path, time) in directories) Directory.SetLastWriteTimeUtc(path, time.UtcDateTime);
    }

    /// <summary>Reads from the client asynchronously and writes each chunk to the file synchronously: an async
    /// write to a regular file is a synchronous one moved to a thread-pool thread, and for a context's many small
    /// files those hops were a third of a cached rebuild's server time (the page cache takes the bytes at once).</summary>
    static async Task CopyAsync(Stream from, FileStream to, CancellationToken ct)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, ct)) > 0) to.Write(buffer, 0, n);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The entry's path below the root, or null for the root itself; "..", absolute or empty names that
    /// leave the context are refused, as moby's archive unpacking does ("breakout").</summary>
    static string? SafeRelative(string name)
    {
        var clean = DockerIgnore.CleanPath(name.TrimStart('/'));
        if (clean == ".") return null;
        if (clean == ".." || clean.StartsWith("../", StringComparison.Ordinal) || name.Split('/').Contains(".."))
            throw EngineErrors.InvalidParameter($"invalid path in build context: \"{name}\" is outside the context");
        return clean;
    }

    void EnsureNoSymlinkOnTheWay(string relative)
    {
        var path = Root;
        var parts = relative.Split('/');
        for (var i = 0; i < parts.Length - 1; i++)
        {
            path = Path.Combine(path, parts[i]);
            if (new FileInfo(path).LinkTarget is not null)
                throw EngineErrors.InvalidParameter($"invalid path in build context: \"{relative}\" goes through a symlink");
        }
    }

    /// <summary>Removes what .dockerignore leaves out (the CLI already did when it made the tar; other clients
    /// may not have), so COPY never sees it. A directory that is left out but holds an exception stays for it.</summary>
    public void ApplyIgnoreFile()
    {
        var file = Path.Combine(Root, ".dockerignore");
        if (!File.Exists(file) || new FileInfo(file).LinkTarget is not null) return;
        DockerIgnore ignore;
        try
        {
            ignore = DockerIgnore.Read(File.ReadAllText(file));
        }
        catch (FormatException e)
        {
            throw EngineErrors.InvalidParameter($"failed to parse .dockerignore: {e.Message}");
        }
        if (!ignore.IsEmpty) Prune(Root, "", ignore);
    }

    /// <summary>Returns whether the directory is empty afterwards.</summary>
    static bool Prune(string dir, string relative, DockerIgnore ignore)
    {
        var empty = true;
        foreach (var child in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            var path = relative.Length == 0 ? child.Name : relative + "/" + child.Name;
            if (child is DirectoryInfo && child.LinkTarget is null)
            {
                if (Prune(child.FullName, path, ignore) && ignore.Excludes(path)) child.Delete();
                else empty = false;
            }
            else if (ignore.Excludes(path)) child.Delete();
            else empty = false;
        }
        return empty;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(Root)!, recursive: true);
        }
        catch (IOException)
        {
            // already gone
        }
    }
}
