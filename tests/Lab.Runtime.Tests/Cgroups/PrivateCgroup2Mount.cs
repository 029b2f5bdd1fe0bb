using System.Diagnostics;

namespace Lab.Runtime.Tests.Cgroups;

/// <summary>A cgroup2 mount of our own, whatever the host mounted: a holder process unshares a mount namespace,
/// mounts cgroup2 on a temp dir there and sleeps; we reach that mount through /proc/PID/root. Killing the holder
/// ends the namespace and its mount. It is the host's one cgroup2 hierarchy, so cgroups made there are real; on
/// a hybrid host its controllers are those v1 has not taken (none of memory, pids, cpu), but cgroup.freeze,
/// cgroup.kill and cpu.stat work on any cgroup2.</summary>
internal sealed class PrivateCgroup2Mount : IDisposable
{
    private readonly Process _holder;
    private readonly string _target = Directory.CreateTempSubdirectory($"{StaleTestState.OwnPrefix}cg2mnt-").FullName;

    public PrivateCgroup2Mount()
    {
        _holder = Process.Start(new ProcessStartInfo("unshare",
            ["--mount", "--propagation", "private", "sh", "-c",
             "mount -t cgroup2 none \"$1\" && echo mounted && exec sleep infinity", "sh", _target])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        if (_holder.StandardOutput.ReadLine() != "mounted")
            throw new InvalidOperationException($"mount -t cgroup2 failed: {_holder.StandardError.ReadToEnd()}");
        MountPoint = $"/proc/{_holder.Id}/root{_target}";
    }

    public string MountPoint { get; }

    public void Dispose()
    {
        _holder.Kill();
        _holder.WaitForExit();
        _holder.Dispose();
        Directory.Delete(_target);
    }
}
