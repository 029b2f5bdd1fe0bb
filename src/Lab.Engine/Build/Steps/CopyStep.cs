using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Lab.Engine.Build.Context;
using Lab.Engine.Build.Parsing;
using Lab.Runtime;

namespace Lab.Engine.Build.Steps;

/// <summary>COPY and ADD (moby copier.go, dispatchers.go): sources from the context or, with --from, from a
/// stage or image; wildcards as Go's filepath.Match; a directory source copies its contents; the destination is
/// relative to WORKDIR and is a directory when it ends with '/', when the image has a directory there, or when
/// there are several sources. Files get root (or --chown) as owner and keep their mode and mtime. ADD unpacks a
/// local tar archive (plain or gzip) into the destination and refuses URLs: a lab machine has no network.
/// The layer is written straight from the files; the cache key holds a checksum of the sources' names, modes
/// and contents (history: <c>COPY file:&lt;sha256&gt; in /app </c>).</summary>
public static partial class CopyStep
{
    public static async Task RunAsync(Builder builder, StageState stage, Instruction i, char escape, CancellationToken ct)
    {
        var job = builder.Job;
        var words = new ShellWords(stage.ExpansionEnv, escape);
        var args = i.Args.Select(a => Builder.Expand(() => words.ProcessWord(a), i)).ToList();
        var (sources, dest) = (args[..^1], args[^1]);
        if (i.Keyword == "ADD" && sources.FirstOrDefault(s => UrlLike().IsMatch(s)) is { } url)
            throw new LabException(ErrorKind.InvalidParameter,
                $"ADD {url}: downloading is not possible here, a lab machine has no network; put the file in the build context and ADD or COPY it from there");

        var fromRef = i.Flag("from") is { } from ? Builder.Expand(() => words.ProcessWord(from), i) : null;
        var sourceTree = fromRef is null
            ? SourceTree.Directory(job.Context.Root)
            : new SourceTree(await job.Store.LayerDirectoriesAsync(await builder.FromReferenceAsync(fromRef, ct), ct));
        var imageTree = stage.Image is null ? null : new SourceTree(await job.Store.LayerDirectoriesAsync(stage.Image, ct));
        var chownFlag = i.Flag("chown");
        var (uid, gid) = chownFlag is { } chown
            ? Owners.Resolve(Builder.Expand(() => words.ProcessWord(chown), i), imageTree)
            : (0, 0);
        Func<string, (int, int)> owner = _ => (uid, gid);
        UnixFileMode? chmod = i.Flag("chmod") is { } c ? ParseMode(c) : null;

        var matches = new List<(string Source, string Path, FileSystemInfo Info)>();
        foreach (var source in sources)
        {
            var found = Match(sourceTree, source, fromRef is null);
            if (found.Count == 0)
                throw new LabException(ErrorKind.InvalidParameter, HasWildcards(source)
                    ? $"{i.Keyword} failed: no source files were specified"
                    : $"{i.Keyword} failed: file not found in build context or excluded by .dockerignore: stat {source}: file does not exist");
            matches.AddRange(found.Select(f => (source, f.Path, f.Info)));
        }
        var destIsDir = dest.EndsWith('/') || dest is "." or "..";
        var workdir = stage.Config.WorkingDir is { Length: > 0 } w ? w : "/";
        var destPath = DockerIgnore.CleanPath(dest.StartsWith('/') ? dest : workdir.TrimEnd('/') + "/" + dest).TrimStart('/');
        if (!destIsDir && destPath.Length > 0 && imageTree?.Resolve(destPath) is { Info: DirectoryInfo }) destIsDir = true;
        if (destPath.Length == 0) destIsDir = true;
        if ((matches.Count > 1 || sources.Any(HasWildcards) && matches.Count > 1) && !destIsDir)
            throw new LabException(ErrorKind.InvalidParameter,
                $"When using {i.Keyword} with more than one source file, the destination must be a directory and end with a /");

        var layer = new LayerTar();
        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var extracted = new DisposableList();
        foreach (var (_, path, info) in matches)
        {
            if (info is DirectoryInfo)
                AddTree(sourceTree, path, destPath, layer, hash, owner, chmod);
            else if (i.Keyword == "ADD" && info is FileInfo { LinkTarget: null } file && IsArchive(file.FullName))
            {
                var unpacked = await UnpackArchiveAsync(file.FullName, job.WorkDir, ct);
                extracted.Add(unpacked);
                Hash(hash, path, info);
                // An archive's files keep the owners it gives them, unless --chown says otherwise.
                var archiveOwner = chownFlag is null ? p => unpacked.Owners.GetValueOrDefault(p, (0, 0)) : owner;
                AddTree(SourceTree.Directory(unpacked.Root), "", destPath, layer, hash, archiveOwner, chmod);
            }
            else
            {
                var target = destIsDir ? Join(destPath, Path.GetFileName(path)) : destPath;
                AddOne(path, info, target, layer, hash, owner, chmod);
            }
        }
        if (destIsDir && destPath.Length > 0 && !layer.Has(destPath) && imageTree?.Resolve(destPath) is null)
            layer.Add(destPath, new LayerTar.DirEntry((UnixFileMode)0x1ED, uid, gid, DateTimeOffset.UtcNow));
        foreach (var parentOf in new[] { destPath })
            layer.AddParents(parentOf + "/x", p => imageTree?.Resolve(p) is not null, uid, gid);

        var kind = matches.Count > 1 || sources.Count > 1 ? "multi" : matches[0].Info is DirectoryInfo ? "dir" : "file";
        var checksum = $"{kind}:{Convert.ToHexStringLower(hash.GetHashAndReset())}";
        // dockerd's history line: "COPY --chown=1000:1000dir:<sum> in ./src/ " (the flag glued to the checksum, as
        // moby formats it); the cache key also has --from and --chmod.
        var chownComment = chownFlag is null ? "" : "--chown=" + chownFlag;
        var createdBy = string.Join(' ', StepImages.NopCmdString(stage, $"{i.Keyword} {chownComment}{checksum} in {dest} "));
        var key = BuildCache.Key(stage.Image, $"{createdBy}\n{string.Join(' ', i.Flags)}", stage.Config);
        if (StepImages.TryCache(builder, stage, key)) return;

        var tarPath = Path.Combine(job.WorkDir, $"copy-{Guid.NewGuid():N}.tar");
        try
        {
            await using (var file = File.Create(tarPath)) await layer.WriteAsync(file, ct);
            await using (var file = File.OpenRead(tarPath))
                await StepImages.CommitAsync(builder, stage, key, createdBy, file, ct);
        }
        finally
        {
            File.Delete(tarPath);
        }
    }

    /// <summary>The source paths a COPY argument names: one path (symlinks followed inside the tree), or with
    /// wildcards every path of the tree that matches, as moby walks the context.</summary>
    static List<(string Path, FileSystemInfo Info)> Match(SourceTree tree, string source, bool fromContext)
    {
        var clean = DockerIgnore.CleanPath(source.TrimStart('/'));
        if (clean == ".." || clean.StartsWith("../", StringComparison.Ordinal))
        {
            if (fromContext) throw new LabException(ErrorKind.InvalidParameter, $"forbidden path outside the build context: {source} ()");
            clean = DockerIgnore.CleanPath("/" + clean).TrimStart('/');
        }
        if (clean == ".") clean = "";
        if (!HasWildcards(clean))
            return tree.Resolve(clean) is { } found ? [found] : [];
        var pattern = GlobRegex(clean);
        var results = new List<(string, FileSystemInfo)>();
        void Walk(string dir)
        {
            foreach (var name in tree.List(dir))
            {
                var path = dir.Length == 0 ? name : dir + "/" + name;
                var info = tree.Lookup(path);
                if (info is null) continue;
                if (pattern.IsMatch(path)) results.Add((path, info));
                else if (info is DirectoryInfo && info.LinkTarget is null) Walk(path);
            }
        }
        Walk("");
        return results;
    }

    static void AddTree(SourceTree tree, string dir, string destDir, LayerTar layer, IncrementalHash hash,
        Func<string, (int Uid, int Gid)> owner, UnixFileMode? chmod)
    {
        foreach (var name in tree.List(dir))
        {
            var path = dir.Length == 0 ? name : dir + "/" + name;
            var info = tree.Lookup(path);
            if (info is null) continue;
            AddOne(path, info, Join(destDir, name), layer, hash, owner, chmod);
            if (info is DirectoryInfo && info.LinkTarget is null)
                AddTree(tree, path, Join(destDir, name), layer, hash, owner, chmod);
        }
    }

    static void AddOne(string path, FileSystemInfo info, string target, LayerTar layer,
        IncrementalHash hash, Func<string, (int Uid, int Gid)> owner, UnixFileMode? chmod)
    {
        Hash(hash, path, info);
        var (uid, gid) = owner(path);
        var time = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
        if (info.LinkTarget is { } link) layer.Add(target, new LayerTar.LinkEntry(link, uid, gid, time));
        else if (info is DirectoryInfo dir) layer.Add(target, new LayerTar.DirEntry(chmod ?? dir.UnixFileMode, uid, gid, time));
        else layer.Add(target, new LayerTar.FileEntry(info.FullName, chmod ?? info.UnixFileMode, uid, gid, time));
    }

    /// <summary>The checksum moby's cache compares: names, kinds, modes, link targets and contents — not mtimes
    /// (touching a file keeps the cache; changing it does not).</summary>
    static void Hash(IncrementalHash hash, string path, FileSystemInfo info)
    {
        var kind = info.LinkTarget is not null ? "l" : info is DirectoryInfo ? "d" : "f";
        hash.AppendData(Encoding.UTF8.GetBytes($"{path}\0{kind}\0{(int)info.UnixFileMode}\0{info.LinkTarget}\0"));
        if (kind == "f")
        {
            using var stream = File.OpenRead(info.FullName);
            hash.AppendData(SHA256.HashData(stream));
        }
    }

    static bool IsArchive(string path)
    {
        using var file = File.OpenRead(path);
        var head = new byte[512];
        var read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (read >= 2 && head[0] == 0x1f && head[1] == 0x8b) return true;
        return read >= 262 && Encoding.ASCII.GetString(head, 257, 5) == "ustar";
    }

    static async Task<BuildContext> UnpackArchiveAsync(string path, string workDir, CancellationToken ct)
    {
        await using var file = File.OpenRead(path);
        return await BuildContext.ReceiveAsync(file, Path.Combine(workDir, $"add-{Guid.NewGuid():N}"), long.MaxValue, ct);
    }

    static UnixFileMode ParseMode(string text)
    {
        try
        {
            return (UnixFileMode)Convert.ToInt32(text, 8);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new LabException(ErrorKind.InvalidParameter, $"invalid chmod parameter: {text}");
        }
    }

    static string Join(string dir, string name) => dir.Length == 0 ? name : dir.TrimEnd('/') + "/" + name;

    static bool HasWildcards(string path) => path.IndexOfAny(['*', '?', '[']) >= 0;

    /// <summary>Go's filepath.Match: * and ? within one segment, [classes], \ escapes.</summary>
    static Regex GlobRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var k = 0; k < pattern.Length; k++)
        {
            var ch = pattern[k];
            switch (ch)
            {
                case '*': regex.Append("[^/]*"); break;
                case '?': regex.Append("[^/]"); break;
                case '[':
                    var close = pattern.IndexOf(']', k + 1);
                    if (close < 0) throw new LabException(ErrorKind.InvalidParameter, $"syntax error in pattern: {pattern}");
                    regex.Append('[').Append(pattern[(k + 1)..close]).Append(']');
                    k = close;
                    break;
                case '\\' when k + 1 < pattern.Length: regex.Append(Regex.Escape(pattern[++k].ToString())); break;
                default: regex.Append(Regex.Escape(ch.ToString())); break;
            }
        }
        return new Regex(regex.Append('$').ToString());
    }

    [GeneratedRegex("^[a-zA-Z][a-zA-Z0-9+.-]*://")]
    private static partial Regex UrlLike();

    sealed class DisposableList : List<IDisposable>, IDisposable
    {
        public void Dispose()
        {
            foreach (var item in this) item.Dispose();
        }
    }
}
