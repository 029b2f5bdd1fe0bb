using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lab.Runtime.Machines.Seccomp;

/// <summary>A seccomp profile in Docker's own JSON format (moby profiles/seccomp/default.json). The default one
/// ships embedded in this assembly; <see cref="Evaluate"/> applies its includes/excludes for one process's
/// capabilities, architecture and kernel the way moby's profiles/seccomp/seccomp_linux.go does.</summary>
public sealed record SeccompProfile
{
    public string DefaultAction { get; init; } = "SCMP_ACT_ERRNO";
    public int? DefaultErrnoRet { get; init; }
    public IReadOnlyList<ArchMapping> ArchMap { get; init; } = [];
    public IReadOnlyList<SyscallRule> Syscalls { get; init; } = [];

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Docker's default profile, as Lab ships it.</summary>
    public static SeccompProfile DockerDefault { get; } = LoadEmbedded("default.json");

    public static SeccompProfile Parse(string json) =>
        JsonSerializer.Deserialize<SeccompProfile>(json, Json)
        ?? throw new LabException(ErrorKind.InvalidParameter, "empty seccomp profile");

    private static SeccompProfile LoadEmbedded(string name)
    {
        using var stream = typeof(SeccompProfile).Assembly.GetManifestResourceStream($"Lab.Runtime.Seccomp.{name}")
            ?? throw new LabException(ErrorKind.Internal, $"seccomp profile {name} is not embedded");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>The flat rules for a process with these capabilities, on this machine's architecture and kernel.</summary>
    public SeccompRules Evaluate(IReadOnlyCollection<int> capabilities) =>
        Evaluate(capabilities, SeccompArch.Current, Environment.OSVersion.Version);

    public SeccompRules Evaluate(IReadOnlyCollection<int> capabilities, SeccompArch arch, Version kernel)
    {
        if (DefaultAction != "SCMP_ACT_ERRNO")
            throw new LabException(ErrorKind.InvalidParameter, $"seccomp default action {DefaultAction} is not supported");
        var lines = new List<string> { $"default errno {DefaultErrnoRet ?? Errno.EPERM}" };
        foreach (var sub in ArchMap.FirstOrDefault(m => m.Architecture == arch.ScmpName)?.SubArchitectures ?? [])
            lines.Add($"arch {SeccompArch.LibseccompName(sub)}");
        foreach (var rule in Syscalls.Where(r => Applies(r, capabilities, arch, kernel)))
        {
            var verb = rule.Action switch
            {
                "SCMP_ACT_ALLOW" => "allow",
                "SCMP_ACT_ERRNO" => $"errno {rule.ErrnoRet ?? Errno.EPERM}",
                _ => throw new LabException(ErrorKind.InvalidParameter, $"seccomp action {rule.Action} is not supported"),
            };
            var conditions = string.Concat((rule.Args ?? []).Select(a => " " + a.Format()));
            foreach (var name in rule.Names)
                lines.Add($"{verb} {name}{conditions}");
        }
        return new SeccompRules(string.Join('\n', lines) + "\n");
    }

    // moby: every included capability must be held, no excluded one; the arch must be (not be) listed; the kernel
    // must be at least (below) minKernel.
    private static bool Applies(SyscallRule rule, IReadOnlyCollection<int> caps, SeccompArch arch, Version kernel)
    {
        if (rule.Includes is { } inc)
        {
            if (inc.Caps is { Count: > 0 } ic && !ic.All(c => caps.Contains(Capabilities.Number(c)))) return false;
            if (inc.Arches is { Count: > 0 } ia && !ia.Contains(arch.DockerName)) return false;
            if (inc.MinKernel is { } ik && kernel < ParseKernel(ik)) return false;
        }
        if (rule.Excludes is { } exc)
        {
            if (exc.Caps is { } ec && ec.Any(c => caps.Contains(Capabilities.Number(c)))) return false;
            if (exc.Arches is { } ea && ea.Contains(arch.DockerName)) return false;
            if (exc.MinKernel is { } ek && kernel >= ParseKernel(ek)) return false;
        }
        return true;
    }

    private static Version ParseKernel(string v) => Version.Parse(v.Contains('.') ? v : v + ".0");
}

public sealed record ArchMapping(string Architecture, IReadOnlyList<string>? SubArchitectures);

public sealed record SyscallRule
{
    public IReadOnlyList<string> Names { get; init; } = [];
    public string Action { get; init; } = "SCMP_ACT_ALLOW";
    public int? ErrnoRet { get; init; }
    public IReadOnlyList<SyscallArg>? Args { get; init; }
    public RuleFilter? Includes { get; init; }
    public RuleFilter? Excludes { get; init; }
    public string? Comment { get; init; }
}

public sealed record RuleFilter(IReadOnlyList<string>? Caps, IReadOnlyList<string>? Arches, string? MinKernel);

public sealed record SyscallArg(uint Index, ulong Value, ulong ValueTwo, string Op)
{
    /// <summary>"index:op:a:b" for lab-init: a and b are libseccomp's datum_a and datum_b (for MASKED_EQ, Docker's
    /// value is the mask and valueTwo the expected result, the same order).</summary>
    public string Format()
    {
        const string prefix = "SCMP_CMP_";
        if (!Op.StartsWith(prefix, StringComparison.Ordinal) || Index > 5)
            throw new LabException(ErrorKind.InvalidParameter, $"bad seccomp condition {Index} {Op}");
        return $"{Index}:{Op[prefix.Length..].ToLowerInvariant()}:{Value}:{ValueTwo}";
    }
}

/// <summary>An architecture under its three names: Docker's (GOARCH), the profile's (SCMP_ARCH_*), libseccomp's.</summary>
public sealed record SeccompArch(string DockerName, string ScmpName)
{
    public static SeccompArch Amd64 { get; } = new("amd64", "SCMP_ARCH_X86_64");
    public static SeccompArch Arm64 { get; } = new("arm64", "SCMP_ARCH_AARCH64");

    public static SeccompArch Current => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => Amd64,
        Architecture.Arm64 => Arm64,
        var other => throw new LabException(ErrorKind.Unavailable, $"no seccomp profile for {other}"),
    };

    /// <summary>SCMP_ARCH_X86 → x86, as seccomp_arch_resolve_name spells it.</summary>
    public static string LibseccompName(string scmp) => scmp.Replace("SCMP_ARCH_", "").ToLowerInvariant();
}

internal static class Errno
{
    public const int EPERM = 1;
}
