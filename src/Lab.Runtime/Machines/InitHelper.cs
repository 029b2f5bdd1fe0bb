using System.Text;
using System.Text.Json;
using Lab.Runtime.Machines.Seccomp;
using Lab.Runtime.Native;

namespace Lab.Runtime.Machines;

/*
 * The C# side of native/lab-init.c. Policy lives here; the helper only carries it out.
 *
 *   once: lab-init seccomp-bpf < rules (Docker's default profile, evaluated) > BPF program, kept open
 *
 *   MachineHost                          lab-init boot (P)                 lab-init (C = PID 1 of the machine)
 *   mkdir cgroups, write limits
 *   disk.img → /dev/loopN (autoclear)
 *   posix_spawn(fd 3 = status pipe,
 *     fd 5 = seccomp BPF) ────────────▶ join cgroups, unshare(6 ns), fork ─▶ mount /dev/loopN (ext4) on disk/,
 *                                                                           overlay (upper, work on disk/),
 *                                                                           /proc, /dev, /sys ro, hostname,
 *                                                                           lo, pivot_root, caps, seccomp
 *                                        ◀──────────────── "ok" / error ─── ready pipe
 *   ◀── {"pid":N} | {"error":..} ─────── status pipe; exit                  reaps zombies
 *   close /dev/loopN: the mount holds it now, and the kernel unbinds it when the machine's namespace goes
 *
 *   posix_spawn exec (fd 3 = status,    join cgroups, setns(6 ns),
 *     fd 4 = console socket if tty,
 *     fd 5 = seccomp BPF) ────────────▶ [tty] open machine's /dev/ptmx
 *   ◀──────────── master fd (SCM_RIGHTS) console socket
 *                                        fork ──────────────────────────▶ setsid, ctty, caps, seccomp, execve
 *   ◀── EOF (exec'd) | {"error":..} ──── status pipe (CLOEXEC in child)
 *   ◀── exit code (128+sig) ──────────── waitpid
 */
internal sealed class InitHelper(string path)
{
    public const int StatusFd = 3;
    public const int ConsoleFd = 4;
    public const int SeccompFd = 5;
    public const int SyncFd = 6;

    public string Path { get; } = File.Exists(path)
        ? path
        : throw new LabException(ErrorKind.Unavailable,
            $"the native init helper is missing at {path}: build it with `make` (or set LAB_INIT)");

    /// <summary>The seccomp filter every process entering a machine gets (Docker's default profile), compiled
    /// once per server process; helpers get it on <see cref="SeccompFd"/>.</summary>
    public FileDescriptor Seccomp => SeccompProgram.For(Path, SeccompRules.ForMachines).Descriptor;

    private static string CapList => string.Join(',', Capabilities.Granted);

    /// <summary>With <paramref name="disk"/>, the helper first mounts that ext4 device on its directory (inside the
    /// machine's mount namespace) and creates <paramref name="upper"/> and <paramref name="work"/> on it. The
    /// machine's cgroups are mounted read-only at its /sys/fs/cgroup (see <see cref="CgroupView"/>).</summary>
    public IReadOnlyList<string> BootArgs(string name, string lower, string upper, string work, string rootfs,
        IReadOnlyList<string> cgroups, (string Device, string Dir)? disk = null, IReadOnlyList<string>? binds = null)
    {
        var args = new List<string> { Path, "boot", "--name", name, "--lower", lower, "--upper", upper,
            "--work", work, "--rootfs", rootfs, "--caps", CapList, "--status-fd", StatusFd.ToString(),
            "--seccomp-fd", SeccompFd.ToString() };
        if (disk is { } d) args.AddRange(["--disk", d.Device, "--disk-dir", d.Dir]);
        foreach (var cg in cgroups) { args.Add("--cgroup"); args.Add(cg); }
        foreach (var view in CgroupView.MountSpecs(cgroups)) { args.Add("--cgroupfs"); args.Add(view); }
        foreach (var bind in binds ?? []) { args.Add("--bind"); args.Add(bind); }
        return args;
    }

    public IReadOnlyList<string> ExecArgs(int initPid, IReadOnlyList<string> cgroups, IReadOnlyList<string> env,
        string cwd, bool tty, IReadOnlyList<string> command, string? user = null)
    {
        var args = new List<string> { Path, "exec", "--pid", initPid.ToString(), "--caps", CapList,
            "--status-fd", StatusFd.ToString(), "--seccomp-fd", SeccompFd.ToString(), "--cwd", cwd };
        if (user is not null) { args.Add("--user"); args.Add(user); }
        if (tty) { args.Add("--console-fd"); args.Add(ConsoleFd.ToString()); }
        foreach (var cg in cgroups) { args.Add("--cgroup"); args.Add(cg); }
        foreach (var e in env) { args.Add("--env"); args.Add(e); }
        args.Add("--");
        args.AddRange(command);
        return args;
    }

    /// <summary>The agent's request socket in `lab-init agent`; in a run request, where the creds socket goes and
    /// where the first of the layers, cgroup.procs files and net namespace descriptors go (in that order).</summary>
    public const int AgentFd = 7;
    public const int CredsFd = 7;
    public const int FirstPassedFd = 10;

    /// <summary>A machine's container agent (native/lab-init.c agent): joins the machine's cgroups and namespaces
    /// once and then clones each container on request, so no helper is exec'd per container.</summary>
    public IReadOnlyList<string> AgentArgs(int machinePid, IReadOnlyList<string> machineCgroups)
    {
        var args = new List<string> { Path, "agent", "--pid", machinePid.ToString(), "--agent-fd", AgentFd.ToString(),
            "--status-fd", StatusFd.ToString(), "--seccomp-fd", SeccompFd.ToString() };
        foreach (var cg in machineCgroups) { args.Add("--cgroup"); args.Add(cg); }
        return args;
    }

    /// <summary>A request to a machine's agent for a nested container: <paramref name="layerCount"/> layers (top
    /// first), then <paramref name="cgroupCount"/> cgroup.procs files (below the machine's cgroups), then with
    /// <paramref name="netnsFd"/> the net namespace to join, passed as descriptors from <see cref="FirstPassedFd"/>
    /// on; stdio on 0-2, the status pipe, the console socket with a tty, the sync pipe and the creds socket on their
    /// fixed numbers. PID 1 is cloned as the server's own child, which waits for it: no process stays beside a
    /// container.</summary>
    public IReadOnlyList<string> RunRequest(string id, int layerCount, int cgroupCount, bool netnsFd,
        IReadOnlyList<string> cgroups, string hostname, string netns,
        IReadOnlyList<string> env, string cwd, string? user, bool tty, IReadOnlyList<string> command,
        IReadOnlyList<Containers.ContainerMount>? mounts = null)
    {
        var args = new List<string> { "run", "--id", id, "--hostname", hostname, "--netns", netns, "--caps", CapList,
            "--status-fd", StatusFd.ToString(), "--sync-fd", SyncFd.ToString(), "--creds-fd", CredsFd.ToString(),
            "--cwd", cwd };
        if (user is not null) { args.Add("--user"); args.Add(user); }
        if (tty) { args.Add("--console-fd"); args.Add(ConsoleFd.ToString()); }
        int fd = FirstPassedFd;
        for (int i = 0; i < layerCount; i++) { args.Add("--layer-fd"); args.Add((fd++).ToString()); }
        for (int i = 0; i < cgroupCount; i++) { args.Add("--cgroup-fd"); args.Add((fd++).ToString()); }
        if (netnsFd) { args.Add("--netns-fd"); args.Add((fd++).ToString()); }
        foreach (var view in CgroupView.MountSpecs(cgroups)) { args.Add("--cgroupfs"); args.Add(view); }
        foreach (var e in env) { args.Add("--env"); args.Add(e); }
        args.AddRange(Volumes.MountArgs.For(mounts ?? [])); // binds, volumes, tmpfs: applied before pivot_root
        args.Add("--");
        args.AddRange(command);
        return args;
    }

    /// <summary>A request to a machine's agent: delete a container's directory on the machine's disk.</summary>
    public static IReadOnlyList<string> RemoveRequest(string id) =>
        ["remove", "--id", id, "--status-fd", StatusFd.ToString()];

    /// <summary>Creates ("create") or deletes ("remove") a volume's directory on the machine's disk.</summary>
    public IReadOnlyList<string> VolumeArgs(int machinePid, string operation, string name) =>
        [Path, "volume", "--pid", machinePid.ToString(), "--status-fd", StatusFd.ToString(), "--", operation, name];

    /// <summary>A status pipe's first report (blocking): the helper's pid line, or its error.</summary>
    public static RunReport ReadFirst(FileDescriptor readEnd, StringBuilder seen)
    {
        var buffer = new byte[4096];
        int n;
        while (!seen.ToString().Contains('\n') && (n = readEnd.Read(buffer)) > 0)
            seen.Append(Encoding.UTF8.GetString(buffer, 0, n));
        return ParseRun(seen.ToString());
    }

    private static RunReport ParseRun(string text)
    {
        int? pid = null;
        string? error = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                var doc = JsonDocument.Parse(line).RootElement;
                if (doc.TryGetProperty("pid", out var p)) pid = p.GetInt32();
                if (doc.TryGetProperty("error", out var e)) error ??= e.GetString();
            }
            catch (JsonException)
            {
                error ??= $"unexpected helper output: {line}";
            }
        }
        return new RunReport(pid, error);
    }

    private static string ReadAll(FileDescriptor readEnd)
    {
        var buffer = new byte[4096];
        var all = new MemoryStream();
        int n;
        while ((n = readEnd.Read(buffer)) > 0) all.Write(buffer, 0, n);
        return Encoding.UTF8.GetString(all.ToArray()).Trim();
    }

    /// <summary>A one-shot helper (volume): run with /dev/null for stdio; what it wrote on its status pipe
    /// (read to the end: the helper exits right after) and its exit code.</summary>
    public static async Task<(string Status, int Code)> RunOnceAsync(IReadOnlyList<string> args)
    {
        var (statusRead, statusWrite) = FileDescriptor.Pipe();
        using var status = statusRead;
        using var devNull = FileDescriptor.OpenDevNull();
        int pid;
        using (statusWrite)
            pid = Spawner.Spawn(args[0], args, ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
                [(0, devNull), (1, devNull), (2, devNull), (StatusFd, statusWrite)]);
        var text = await Task.Run(() => ReadAll(status), CancellationToken.None);
        return (text, await Task.Run(() => Spawner.Wait(pid), CancellationToken.None));
    }

    /// <summary>Reads the status pipe to its end: empty means success (the helper exec'd or reported a pid).</summary>
    public static async Task<StatusReport> ReadStatusAsync(FileDescriptor readEnd, CancellationToken ct) =>
        ParseStatus(await Task.Run(() => ReadAll(readEnd), ct));

    public static StatusReport ParseStatus(string text)
    {
        if (text.Length == 0) return new StatusReport(null, null);
        try
        {
            var doc = JsonDocument.Parse(text.Split('\n')[0]).RootElement;
            return new StatusReport(
                doc.TryGetProperty("pid", out var pid) ? pid.GetInt32() : null,
                doc.TryGetProperty("error", out var err) ? err.GetString() : null);
        }
        catch (JsonException)
        {
            return new StatusReport(null, $"unexpected helper output: {text}");
        }
    }
}

internal sealed record StatusReport(int? Pid, string? Error);

internal sealed record RunReport(int? Pid, string? Error);
