using Tmds.Linux;

namespace Lab.Runtime.Native;

/// <summary>kill(2), once.</summary>
public static class Signals
{
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    /// <summary>Sends the signal; false when the process is already gone (ESRCH), which callers treat as done.</summary>
    public static bool Send(int pid, int signal)
    {
        if (LibC.kill(pid, signal) == 0) return true;
        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        return errno == LibC.ESRCH ? false : throw new LinuxException(errno, $"kill {pid} signal {signal}");
    }
}
