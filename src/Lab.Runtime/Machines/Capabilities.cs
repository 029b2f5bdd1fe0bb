namespace Lab.Runtime.Machines;

/// <summary>Capability policy. The numbers are the kernel's (linux/capability.h); the set is Docker's default
/// (moby oci/caps/defaults.go), so a student's root shell can do what root in a Docker container can, and no
/// more: no mount, no module loading, no raw device access, no ptrace of the host.</summary>
public static class Capabilities
{
    public const int CAP_CHOWN = 0, CAP_DAC_OVERRIDE = 1, CAP_FOWNER = 3, CAP_FSETID = 4, CAP_KILL = 5,
        CAP_SETGID = 6, CAP_SETUID = 7, CAP_SETPCAP = 8, CAP_NET_BIND_SERVICE = 10, CAP_NET_RAW = 13,
        CAP_SYS_CHROOT = 18, CAP_SYS_ADMIN = 21, CAP_MKNOD = 27, CAP_AUDIT_WRITE = 29, CAP_SETFCAP = 31;

    public static IReadOnlyList<int> DockerDefault { get; } =
    [
        CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD, CAP_NET_RAW, CAP_SETGID, CAP_SETUID,
        CAP_SETFCAP, CAP_SETPCAP, CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
    ];

    public static ulong Mask(IEnumerable<int> caps) => caps.Aggregate(0UL, (m, c) => m | 1UL << c);
}
