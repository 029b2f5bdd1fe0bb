using System.Runtime.InteropServices;

namespace Lab.Runtime.Native;

/// <summary>A failed system call: which call, on which object, and the errno it returned.</summary>
public sealed class LinuxException(int errno, string what)
    : IOException($"{what}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
{
    public int Errno { get; } = errno;

    public static LinuxException FromLastError(string what) => new(Marshal.GetLastPInvokeError(), what);
}
