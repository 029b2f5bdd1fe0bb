using Tmds.Linux;

namespace Lab.Runtime.Native;

/// <summary>Runs code inside another process's network namespace. A socket belongs to the namespace it was created
/// in and keeps working from any thread afterwards, so a short-lived thread enters the namespace (setns affects only
/// the calling thread), creates what it must, and ends: the server itself never leaves the host's namespace, and a
/// lab machine's ports are opened without any process of ours inside it.</summary>
internal static class NetNamespace
{
    public static T Run<T>(int pid, Func<T> action)
    {
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { result = Enter(pid, action); }
            catch (Exception e) { error = e; }
        }) { IsBackground = true, Name = "lab-netns" };
        thread.Start();
        thread.Join();
        if (error is not null) throw error is LabException ? error : new LabException(ErrorKind.Internal, error.Message, error);
        return result;
    }

    private static unsafe T Enter<T>(int pid, Func<T> action)
    {
        using var own = FileDescriptor.OpenReadOnly("/proc/thread-self/ns/net");
        using var target = FileDescriptor.OpenReadOnly($"/proc/{pid}/ns/net");
        if (LibC.setns(target.Fd, LibC.CLONE_NEWNET) < 0) throw LinuxException.FromLastError($"setns net of {pid}");
        try
        {
            return action();
        }
        finally
        {
            LibC.setns(own.Fd, LibC.CLONE_NEWNET); // the thread ends next; back home anyway, in case it is reused
        }
    }
}
