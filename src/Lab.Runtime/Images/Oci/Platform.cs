using System.Runtime.InteropServices;
using Cpu = System.Runtime.InteropServices.Architecture;
using System.Text.Json.Serialization;

namespace Lab.Runtime.Images.Oci;

/// <summary>The platform an image runs on, as image indexes list it (Go's GOOS/GOARCH names).</summary>
public sealed record Platform
{
    [JsonPropertyName("architecture")] public required string Architecture { get; init; }
    [JsonPropertyName("os")] public required string Os { get; init; }
    [JsonPropertyName("os.version")] public string? OsVersion { get; init; }
    [JsonPropertyName("os.features")] public IReadOnlyList<string>? OsFeatures { get; init; }
    [JsonPropertyName("variant")] public string? Variant { get; init; }
    [JsonPropertyName("features")] public IReadOnlyList<string>? Features { get; init; }

    /// <summary>This host: linux and its CPU architecture under Go's name.</summary>
    public static Platform Host { get; } = new()
    {
        Os = "linux",
        Architecture = RuntimeInformation.OSArchitecture switch
        {
            Cpu.X64 => "amd64",
            Cpu.Arm64 => "arm64",
            Cpu.Arm or Cpu.Armv6 => "arm",
            Cpu.X86 => "386",
            Cpu.S390x => "s390x",
            Cpu.Ppc64le => "ppc64le",
            Cpu.RiscV64 => "riscv64",
            Cpu.LoongArch64 => "loong64",
            var other => other.ToString().ToLowerInvariant(),
        },
    };

    /// <summary>Whether an image built for <paramref name="candidate"/> runs here: same os and architecture, and
    /// the same variant when both name one (indexes often leave it out).</summary>
    public bool Runs(Platform candidate) =>
        candidate.Os == Os && candidate.Architecture == Architecture
        && (Variant is null || candidate.Variant is null || Variant == candidate.Variant);

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
