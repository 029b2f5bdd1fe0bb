using System.Text;

namespace Lab.Runtime.Native;

/// <summary>Runs one of the host's system tools (mkfs.ext4, resize2fs ...) to completion through
/// <see cref="Spawner"/>, its stdout and stderr captured together for the error message.</summary>
internal static class SystemTool
{
    private static readonly string[] SearchPath = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"];
    private static readonly string[] Environment = ["PATH=" + string.Join(':', SearchPath), "LC_ALL=C"];

    public static string Find(string name) =>
        SearchPath.Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists)
        ?? throw new LabException(ErrorKind.Unavailable, $"{name} is missing on this host: run scripts/setup");

    /// <summary>The tool's exit code and output. Cancelling kills it.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string name, IReadOnlyList<string> args,
        CancellationToken ct = default)
    {
        var path = Find(name);
        using var devNull = FileDescriptor.OpenDevNull();
        var (read, write) = FileDescriptor.Pipe();
        using (read)
        {
            int pid;
            using (write)
                pid = Spawner.Spawn(path, [path, .. args], Environment, [(0, devNull), (1, write), (2, write)]);
            string output;
            // Killed only while its output is open: after that it may be reaped, and its pid reused.
            using (ct.Register(() => Signals.Send(pid, Signals.SIGKILL)))
                output = await Task.Run(() => ReadAll(read), CancellationToken.None);
            int code = await Task.Run(() => Spawner.Wait(pid), CancellationToken.None);
            ct.ThrowIfCancellationRequested();
            return (code, output.Trim());
        }
    }

    /// <summary>Runs the tool and throws, with its output, unless it exits with one of <paramref name="success"/>
    /// (0 when none is given).</summary>
    public static async Task<string> RunCheckedAsync(string name, IReadOnlyList<string> args,
        CancellationToken ct = default, params int[] success)
    {
        var (code, output) = await RunAsync(name, args, ct);
        if (success.Length == 0 ? code != 0 : !success.Contains(code))
            throw new LabException(ErrorKind.Internal, $"{name} {string.Join(' ', args)} exited {code}: {output}");
        return output;
    }

    private static string ReadAll(FileDescriptor fd)
    {
        var all = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = fd.Read(buffer)) > 0) all.Write(buffer, 0, n);
        return Encoding.UTF8.GetString(all.ToArray());
    }
}
