using System.Diagnostics;

namespace Lab.Testing;

/// <summary>Debian's dockerd, started for one test class or benchmark as the reference Lab is compared with
/// (conformance of `docker build`, build timings). Everything it owns lives in a temp dir named like the other
/// tests' state (lab-test-PID-), it listens only on a unix socket in that dir, and it is started so that it
/// cannot touch the host's network: no bridge, no iptables, no ip_forward, no userland proxy.</summary>
public sealed class PrivateDockerd : IAsyncDisposable
{
    /// <summary>The docker CLI used as its client: the static CLI 28, as students have it.</summary>
    public const string Cli = "/usr/local/bin/docker";

    private const string Daemon = "/usr/sbin/dockerd";

    private readonly Process _daemon;
    private readonly string _cgroupParent;

    private PrivateDockerd(string dir, Process daemon, string cgroupParent)
    {
        Dir = dir;
        _daemon = daemon;
        _cgroupParent = cgroupParent;
    }

    public string Dir { get; }
    public string Socket => Path.Combine(Dir, "docker.sock");

    public static bool Available => File.Exists(Daemon) && File.Exists(Cli) && File.Exists("/usr/bin/containerd");

    /// <param name="ownNetwork">Run dockerd in a network namespace of its own (unshare --net), where it may create
    /// its default bridge and the bridges and veths of user-defined networks: none of them touches the host's interfaces, and the
    /// namespace goes with dockerd.</param>
    public static async Task<PrivateDockerd> StartAsync(CancellationToken ct = default, bool ownNetwork = false)
    {
        StaleTestState.EnsureSwept();
        var dir = Directory.CreateTempSubdirectory(StaleTestState.OwnPrefix + "dockerd-").FullName;
        var cgroupParent = Path.GetFileName(dir);
        var info = new ProcessStartInfo(ownNetwork ? "unshare" : Daemon)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // unshare and sh exec it: the same pid. In that namespace only, where nothing leads out: loopback up (ports
        // published on 127.0.0.1) and forwarding on (dockerd warns on every `run` without it).
        if (ownNetwork)
            foreach (var arg in new[] { "--net", "--", "sh", "-c", "ip link set lo up && echo 1 > /proc/sys/net/ipv4/ip_forward && exec \"$0\" \"$@\"", Daemon })
                info.ArgumentList.Add(arg);
        foreach (var arg in new[]
                 {
                     "--data-root", Path.Combine(dir, "data"), "--exec-root", Path.Combine(dir, "exec"),
                     "--pidfile", Path.Combine(dir, "dockerd.pid"), "-H", "unix://" + Path.Combine(dir, "docker.sock"),
                     "--iptables=false", "--ip6tables=false", "--ip-masq=false", "--ip-forward=false",
                     "--userland-proxy=false", "--containerd-namespace", cgroupParent,
                     "--containerd-plugins-namespace", cgroupParent + "-plugins", "--cgroup-parent", cgroupParent,
                     "--log-level", "warn",
                 })
            info.ArgumentList.Add(arg);
        // Its default bridge (docker0) only in a namespace of its own: never beside the host's interfaces.
        if (!ownNetwork) info.ArgumentList.Add("--bridge=none");
        var daemon = Process.Start(info) ?? throw new InvalidOperationException("dockerd did not start");
        var log = Path.Combine(dir, "dockerd.log");
        _ = CopyAsync(daemon.StandardOutput, log);
        _ = CopyAsync(daemon.StandardError, log);
        var dockerd = new PrivateDockerd(dir, daemon, cgroupParent);
        try
        {
            await dockerd.WaitReadyAsync(ct);
        }
        catch
        {
            await dockerd.DisposeAsync();
            throw;
        }
        return dockerd;
    }

    private static async Task CopyAsync(StreamReader from, string path)
    {
        while (await from.ReadLineAsync() is { } line)
            lock (from) File.AppendAllText(path, line + "\n");
    }

    private async Task WaitReadyAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (_daemon.HasExited)
                throw new InvalidOperationException($"dockerd exited with {_daemon.ExitCode}: {ReadLog()}");
            if (File.Exists(Socket) && (await RunAsync(["version", "--format", "{{.Server.Version}}"], ct: ct)).ExitCode == 0)
                return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"dockerd did not answer within 60 s: {ReadLog()}");
            await Task.Delay(200, ct);
        }
    }

    private string ReadLog()
    {
        var path = Path.Combine(Dir, "dockerd.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no log)";
    }

    /// <summary>Runs the docker CLI against this daemon with the classic builder (BuildKit off, as Lab's engine
    /// advertises), feeding <paramref name="stdin"/> when given.</summary>
    public async Task<DockerdResult> RunAsync(IEnumerable<string> args, string? workDir = null, Stream? stdin = null,
        CancellationToken ct = default)
    {
        var info = new ProcessStartInfo(Cli)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            WorkingDirectory = workDir ?? Dir,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOCKER_HOST"] = "unix://" + Socket;
        info.Environment["DOCKER_BUILDKIT"] = "0";
        info.Environment["DOCKER_CONFIG"] = Path.Combine(Dir, "cli-config");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("docker CLI did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        if (stdin is not null)
        {
            await stdin.CopyToAsync(process.StandardInput.BaseStream, ct);
            process.StandardInput.Close();
        }
        await process.WaitForExitAsync(ct);
        return new DockerdResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Imports a root filesystem directory as an image (the same base Lab's own store holds).</summary>
    public async Task ImportRootfsAsync(string rootfsDir, string reference, CancellationToken ct = default)
    {
        var tar = new ProcessStartInfo("tar") { RedirectStandardOutput = true };
        foreach (var arg in new[] { "-C", rootfsDir, "--numeric-owner", "-c", "." }) tar.ArgumentList.Add(arg);
        using var process = Process.Start(tar) ?? throw new InvalidOperationException("tar did not start");
        var result = await RunAsync(["import", "-", reference], stdin: process.StandardOutput.BaseStream, ct: ct);
        await process.WaitForExitAsync(ct);
        if (result.ExitCode != 0 || process.ExitCode != 0)
            throw new InvalidOperationException($"docker import {reference} failed: {result.Stderr}");
    }

    /// <summary>A graceful stop lets dockerd unmount its layers and remove its containers' cgroups; whatever a
    /// crash of it left is removed here so the leftover check stays clean.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_daemon.HasExited)
        {
            var containers = await RunAsync(["ps", "-aq"]);
            foreach (var id in containers.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                await RunAsync(["rm", "-f", "-v", id]);
            Lab.Runtime.Native.Signals.Send(_daemon.Id, Lab.Runtime.Native.Signals.SIGTERM);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await _daemon.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException) { _daemon.Kill(); await _daemon.WaitForExitAsync(); }
        }
        DirectoryRelease.Release(Dir); // its containerd and shims, should dockerd have died first; its mounts
        // With cgroupfs, dockerd puts its --cgroup-parent below its own cgroup (the test process's) in each v1
        // hierarchy: look for that name wherever it is.
        foreach (var parent in CgroupDirsNamed(_cgroupParent).Distinct())
        {
            foreach (var child in Directory.GetDirectories(parent)) TryRemoveDir(child);
            TryRemoveDir(parent);
        }
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static IEnumerable<string> CgroupDirsNamed(string name)
    {
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            var hierarchy = parts[1].Length == 0 ? "unified" : parts[1].Replace("name=", "");
            foreach (var root in new[] { Path.Combine("/sys/fs/cgroup", hierarchy), "/sys/fs/cgroup" })
            {
                foreach (var dir in new[] { root + parts[2].TrimEnd('/') + "/" + name, Path.Combine(root, name) })
                    if (Directory.Exists(dir)) yield return dir;
            }
        }
    }

    private static void TryRemoveDir(string cgroup)
    {
        try { Directory.Delete(cgroup); } catch (IOException) { }
    }
}

public sealed record DockerdResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;
}
