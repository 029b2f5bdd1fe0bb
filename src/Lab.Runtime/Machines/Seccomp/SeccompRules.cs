using Lab.Runtime.Native;
using Tmds.Linux;

namespace Lab.Runtime.Machines.Seccomp;

/// <summary>A profile evaluated into lab-init's line format (see native/lab-init.c: "default errno", "arch",
/// "allow", "errno" lines). Evaluated once per server process; lab-init reads the text from an inherited fd (an
/// unlinked file, so no path has to exist inside the machine) and builds the filter with libseccomp.</summary>
public sealed class SeccompRules(string text)
{
    public string Text { get; } = text;

    /// <summary>Docker's default profile for Docker's default capabilities: what every machine process gets.</summary>
    public static SeccompRules ForMachines => Machines.Value;

    private static readonly Lazy<SeccompRules> Machines =
        new(() => SeccompProfile.DockerDefault.Evaluate(Capabilities.DockerDefault.ToHashSet()));

    private FileDescriptor? _descriptor;
    private readonly Lock _gate = new();

    /// <summary>A read-only descriptor of the text, for posix_spawn to dup into each helper (which reads it with
    /// pread, so sharing it is safe).</summary>
    public FileDescriptor Descriptor
    {
        get
        {
            lock (_gate) return _descriptor ??= WriteUnlinked(Text);
        }
    }

    private static unsafe FileDescriptor WriteUnlinked(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"lab-seccomp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        File.WriteAllText(path, text);
        try
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
            fixed (byte* p = bytes)
            {
                int fd = LibC.open(p, LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
                if (fd < 0) throw LinuxException.FromLastError($"open '{path}'");
                return new FileDescriptor(fd);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
