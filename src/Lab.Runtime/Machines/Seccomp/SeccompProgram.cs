using System.Collections.Concurrent;
using System.Diagnostics;
using Lab.Runtime.Native;

namespace Lab.Runtime.Machines.Seccomp;

/// <summary>The BPF program of a set of rules, compiled once per server process by `lab-init seccomp-bpf` (with
/// libseccomp) and kept in an unlinked file: every boot and exec gets a descriptor of it and loads it with one
/// seccomp(2) call, instead of each helper building the filter again.</summary>
internal sealed class SeccompProgram
{
    private static readonly ConcurrentDictionary<(string Helper, string Rules), Lazy<SeccompProgram>> Cache = new();

    private SeccompProgram(byte[] bpf)
    {
        Bpf = bpf;
        Descriptor = WriteUnlinked(bpf);
    }

    public byte[] Bpf { get; }

    /// <summary>Read-only; posix_spawn dups it into each helper, which reads it with pread, so sharing is safe.</summary>
    public FileDescriptor Descriptor { get; }

    public static SeccompProgram For(string helperPath, SeccompRules rules)
    {
        var key = (helperPath, rules.Text);
        var entry = Cache.GetOrAdd(key, k => new(() => new SeccompProgram(Compile(k.Helper, k.Rules))));
        try
        {
            return entry.Value;
        }
        catch
        {
            Cache.TryRemove(new(key, entry)); // a failure is not cached: the next boot tries again
            throw;
        }
    }

    private static byte[] Compile(string helperPath, string rules)
    {
        var psi = new ProcessStartInfo(helperPath, ["seccomp-bpf"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var helper = Process.Start(psi)!;
        var stderr = helper.StandardError.ReadToEndAsync();
        helper.StandardInput.Write(rules);
        helper.StandardInput.Close();
        var bpf = new MemoryStream();
        helper.StandardOutput.BaseStream.CopyTo(bpf);
        helper.WaitForExit();
        if (helper.ExitCode != 0 || bpf.Length == 0 || bpf.Length % 8 != 0)
            throw new LabException(ErrorKind.Unavailable,
                $"the init helper {helperPath} could not compile the seccomp filter: {stderr.Result.Trim()}");
        return bpf.ToArray();
    }

    private static FileDescriptor WriteUnlinked(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"lab-seccomp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, bytes);
        try
        {
            return FileDescriptor.OpenReadOnly(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
