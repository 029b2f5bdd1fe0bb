extern alias LabWeb;
using System.Diagnostics;
using Lab.Runtime.Images;
using Lab.Runtime.Images.Library;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Machines;
using Lab.Testing;
using LabWeb::Lab.Web.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Lab.Bench;

/// <summary>Issue 5's benchmark: the same docker CLI 28 commands against Lab's Engine API (typed inside a lab
/// machine, as a student does) and against Debian's dockerd (a private one, <see cref="PrivateDockerd"/>), in the
/// same run: `docker run --rm busybox true`, `docker exec c1 true`, `docker ps` with 50 containers, and issue 8's
/// `docker build` of a 5-step Dockerfile, cold and fully cached (classic builder on both sides). Each is a shell
/// loop of N commands timed from outside, so the one exec into the machine is spread over N runs; the figure is
/// the mean per command. Targets: run ≤ 0.2×, exec ≤ 0.4×, ps ≤ 0.8×, build cold ≤ 0.8×, cached ≤ 0.3× dockerd.</summary>
public static class EngineBench
{
    private const int Containers = 50;
    private static int Warmup => Sample.ServerWarmup; // on both sides, the same count

    public static async Task RunAsync(string work, string busyboxRootfs, int runs)
    {
        if (!PrivateDockerd.Available)
        {
            Console.WriteLine("engine bench skipped: Debian's dockerd (docker.io) or /usr/local/bin/docker is missing");
            return;
        }
        var store = Environment.GetEnvironmentVariable("LAB_TEST_IMAGE_STORE") is { Length: > 0 } dir
            ? dir : Path.Combine(TestImages.RepoRoot, ".cache", "images");
        var busybox = (await new ImageLibrary(TestImages.RecipesDir, store).EnsureBuiltAsync(["busybox"]))
            .Single(i => i.Recipe.Name == "busybox");

        // The machine: the bench's busybox rootfs with the static CLI 28 in it (what a student types).
        var rootfs = Path.Combine(work, "engine-rootfs");
        CopyTree(busyboxRootfs, rootfs);
        Directory.CreateDirectory(Path.Combine(rootfs, "usr/local/bin"));
        File.Copy(PrivateDockerd.Cli, Path.Combine(rootfs, "usr/local/bin/docker"));

        var settings = new Dictionary<string, string?>
        {
            ["Lab:DataDir"] = Path.Combine(work, "engine-data"),
            ["Lab:ImageStoreDir"] = store,
            ["Lab:Urls"] = "http://127.0.0.1:0",
            ["Lab:CgroupParent"] = $"lab-bench-{Environment.ProcessId}-engine",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        Directory.CreateDirectory(settings["Lab:DataDir"]!);
        var app = LabWeb::Program.BuildServer(settings, services => services.AddSingleton<IBaseImage>(new DirectoryImage(rootfs)));
        await ServerStartup.StartAsync(app, TextWriter.Null, CancellationToken.None);
        var machines = app.Services.GetRequiredService<MachineHost>();
        const string machine = "bench-engine";
        await using var dockerd = await PrivateDockerd.StartAsync();
        try
        {
            await machines.StartAsync(machine);
            await new TagStore(store, machine).TagAsync(Reference.Parse("busybox"), busybox.Manifest);
            await dockerd.ImportRootfsAsync(await TestImages.Recipe("busybox").EnsureBuiltAsync(), "busybox");

            // Each loop also reports what it cost in CPU, which the load of a shared host disturbs far less than wall
            // time: the client's (the shell's reaped children: the CLIs, from /proc/$$/stat) and the server's (Lab's:
            // this process and the helpers it reaped; dockerd's: its process tree).
            const string ReportCpu = "; cat /proc/$$/stat";
            async Task<Cost> Lab(string script)
            {
                // The bench's busybox machine has no /var/run for the usual docker.sock link: the engine's own path.
                var output = new MemoryStream();
                var errors = new MemoryStream();
                var server = CpuTime.OfSelf();
                try
                {
                    var wall = await TimeAsync(() => machines.ExecAsync(machine, ["/bin/sh", "-c", "export DOCKER_HOST=unix:///run/lab-engine/docker.sock; " + script + ReportCpu], output, errors));
                    // The shell ran under a helper this process reaped: its CPU and its CLIs' came back here too.
                    var (own, children) = CpuTime.OfShell(output);
                    return new Cost(wall, children, CpuTime.OfSelf() - server - own - children);
                }
                catch (InvalidOperationException e) { throw new InvalidOperationException($"{e.Message}: {System.Text.Encoding.UTF8.GetString(errors.ToArray())}"); }
            }
            async Task<Cost> Dockerd(string script)
            {
                var server = CpuTime.OfTree(dockerd.Dir);
                var output = new MemoryStream();
                var wall = await TimeAsync(() => Shell(script + ReportCpu, dockerd.Socket, output));
                return new Cost(wall, CpuTime.OfShell(output).Children, CpuTime.OfTree(dockerd.Dir) - server);
            }

            int n = Math.Max(5, runs / 2);
            var rows = new List<(string Name, Cost Lab, Cost Dockerd)>();
            // LAB_BENCH_ENGINE_ROWS=cli,ps (say) runs only those rows: a quicker loop while tuning one path.
            var only = Environment.GetEnvironmentVariable("LAB_BENCH_ENGINE_ROWS")?.Split(',', StringSplitOptions.RemoveEmptyEntries);
            bool Wanted(string row) => only is null || only.Contains(row);

            var hostContext = Path.Combine(work, "dockerd-context");
            // One row: the same loop of `times` commands in the machine, then against dockerd; the mean per command.
            async Task Row(string key, string name, string command, int times = 0, int warmup = 0)
            {
                if (!Wanted(key)) return;
                times = times > 0 ? times : n;
                warmup = warmup > 0 ? Math.Min(warmup, Warmup) : Warmup;
                string Repeat(string c, int count) => $"i=0; while [ $i -lt {count} ]; do {c} >/dev/null || exit 1; i=$((i+1)); done";
                // Warm both servers first (JIT, caches): a student's server has long been running. Lab's goes on in
                // batches until the tiered JIT has settled (a batch compiling under one method per 2 commands): after
                // 100 `docker exec`s it still compiled 13 methods, 14 ms of JIT, per command; after 400, 0.7 and 0.2 ms.
                await Lab(Repeat(command, warmup));
                int batch = Math.Max(1, warmup / 4), warmed = warmup;
                for (int more = 0; more < 16; more++, warmed += batch)
                {
                    var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
                    await Lab(Repeat(command, batch));
                    if (System.Runtime.JitInfo.GetCompiledMethodCount() - compiled < batch / 2.0) break;
                }
                await Dockerd(Repeat(command.Replace("/tmp/context", hostContext), warmup));
                Cost labCost;
                var throttledBefore = CpuThrottled(machines, machine);
                // Methods the JIT still compiles per command after the warm-up: a server past its warm-up should
                // compile none; a steady count means code generated per request.
                var (jitted, jitTime) = (System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime());
                using (PerfRecording.Start($"engine-{rows.Count}")) labCost = await Lab(Repeat(command, times)) / times;
                name += $" [warm-up {warmed}, jit {(System.Runtime.JitInfo.GetCompiledMethodCount() - jitted) / (double)times:F1} methods, " +
                        $"{(System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalMilliseconds / times:F1} ms/cmd]";
                if (throttledBefore is { } before && CpuThrottled(machines, machine) is { } after)
                    name += $" [quota throttled {(after.Nanoseconds - before.Nanoseconds) / 1e6 / times:F1} ms/cmd]";
                rows.Add((name, labCost, await Dockerd(Repeat(command.Replace("/tmp/context", hostContext), times)) / times));
            }

            // Calibration: the CLI's own start-up, paid by every row on both sides. A lab machine's CLI starting
            // slower than the host's (cpu quota, seccomp, overlay page cache) shows here, not as API time.
            var throttled = CpuThrottled(machines, machine);
            await Row("cli", "docker --version (CLI alone, calibration)", "/usr/local/bin/docker --version");
            await Row("run", "docker run --rm busybox true", "/usr/local/bin/docker run --rm --network none busybox true", warmup: 30); // dockerd: 1 s each

            const string start = "/usr/local/bin/docker run -d --name c1 --network none busybox sleep 100000";
            await Lab(start);
            await Dockerd(start);
            await Row("exec", "docker exec c1 true", "/usr/local/bin/docker exec c1 true");

            if (Wanted("ps"))
            {
                var many = $"i=0; while [ $i -lt {Containers - 1} ]; do /usr/local/bin/docker run -d --network none busybox sleep 100000 >/dev/null || exit 1; i=$((i+1)); done";
                await Lab(many);
                await Dockerd(many);
                await Row("ps", $"docker ps ({Containers} containers)", "/usr/local/bin/docker ps");
            }

            // Issue 8: a 5-step Dockerfile, built cold (--no-cache) and again unchanged (every step cached).
            if (Wanted("build"))
            {
                const string dockerfile = "FROM busybox\\nWORKDIR /app\\nCOPY . /app\\nRUN echo built > /app/stamp\\nCMD [\\\"cat\\\", \\\"/app/stamp\\\"]\\n";
                string Context(string dir) =>
                    $"mkdir -p {dir} && cd {dir} && printf \"{dockerfile}\" > Dockerfile && echo hello > a.txt && head -c 100000 /dev/zero > b.bin";
                await Lab(Context("/tmp/context"));
                await Dockerd(Context(hostContext));
                int builds = Math.Max(3, runs / 10);
                // A cold build takes dockerd 1.5 s: a shorter warm-up (its steps are the paths the other rows warmed).
                await Row("build", "docker build, 5 steps, cold (--no-cache)", "DOCKER_BUILDKIT=0 /usr/local/bin/docker build --no-cache -t built /tmp/context 2>&1", builds, warmup: 10);
                await Row("build", "docker build, 5 steps, unchanged (all cached)", "DOCKER_BUILDKIT=0 /usr/local/bin/docker build -t built /tmp/context 2>&1", builds);
            }

            Console.WriteLine();
            Console.WriteLine($"{"engine API, CLI 28 (targets: run <= 0.2, exec <= 0.4, ps <= 0.8; build cold <= 0.8, cached <= 0.3 x dockerd)",-86} {"lab ms",10} {"dockerd ms",10} {"x dockerd",9}   {"cpu ms per command: CLI lab/dockerd, server lab/dockerd",-20}");
            foreach (var (name, lab, reference) in rows)
                Console.WriteLine($"{name,-86} {lab.WallMs,10:F1} {reference.WallMs,10:F1} {lab.WallMs / reference.WallMs,9:F2}   {lab.ClientCpuMs,6:F1} {reference.ClientCpuMs,6:F1} {lab.ServerCpuMs,8:F1} {reference.ServerCpuMs,6:F1}");
            if (throttled is not null && CpuThrottled(machines, machine) is { } after)
                Console.WriteLine($"lab machine's cpu quota throttled it {after.Periods - throttled.Value.Periods} times ({(after.Nanoseconds - throttled.Value.Nanoseconds) / 1e6:F0} ms) during the rows");
        }
        finally
        {
            await machines.RemoveAsync(machine);
            await app.StopAsync();
            machines.Cgroups.RemoveParent(); // lab-bench-PID-engine in every hierarchy, else one is left per run
            await app.DisposeAsync();
        }
    }

    /// <summary>The machine's cpu.stat throttling counters (v1 or v2), or null when the driver keeps none.</summary>
    private static (long Periods, long Nanoseconds)? CpuThrottled(MachineHost machines, string machine)
    {
        foreach (var dir in machines.Cgroups.PathsOf(machine))
        {
            var stat = Path.Combine(dir, "cpu.stat");
            if (!File.Exists(stat)) continue;
            var values = File.ReadAllLines(stat).Select(l => l.Split(' ')).Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => long.Parse(p[1]));
            if (values.TryGetValue("nr_throttled", out var periods))
                return (periods, values.TryGetValue("throttled_time", out var ns) ? ns : values.GetValueOrDefault("throttled_usec") * 1000);
        }
        return null;
    }

    /// <summary>One loop's cost: wall time, the client side's CPU (CLIs) and the server side's CPU, in ms.</summary>
    private readonly record struct Cost(double WallMs, double ClientCpuMs, double ServerCpuMs)
    {
        public static Cost operator /(Cost c, int n) => new(c.WallMs / n, c.ClientCpuMs / n, c.ServerCpuMs / n);
    }

    /// <summary>CPU time from /proc/PID/stat (utime, stime, cutime, cstime: fields 14-17, in clock ticks).</summary>
    private static class CpuTime
    {
        const double TickMs = 10; // USER_HZ is 100 on Linux whatever the kernel's HZ

        /// <summary>This process (Lab's server lives in it) and the children it reaped (lab-init helpers).</summary>
        public static double OfSelf() => Ticks(File.ReadAllText("/proc/self/stat"), all: true) * TickMs;

        /// <summary>dockerd (found by its data dir on its command line) and every process below it.</summary>
        public static double OfTree(string dockerdDir)
        {
            var stats = new Dictionary<int, (int Parent, string Stat)>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    stats[pid] = (int.Parse(Fields(stat)[1]), stat);
                }
                catch (IOException) { } // gone meanwhile
            }
            var root = stats.Keys.FirstOrDefault(pid =>
            {
                try { return File.ReadAllText($"/proc/{pid}/cmdline").Contains(dockerdDir) && File.ReadAllText($"/proc/{pid}/comm").Trim() == "dockerd"; }
                catch (IOException) { return false; }
            });
            if (root == 0) return 0;
            bool Below(int pid) { for (int p = pid; p > 1; p = stats.TryGetValue(p, out var s) ? s.Parent : 0) if (p == root) return true; return false; }
            return stats.Where(s => Below(s.Key)).Sum(s => Ticks(s.Value.Stat, all: true)) * TickMs;
        }

        /// <summary>The last line a loop printed: its shell's /proc/$$/stat, whose cutime+cstime are its commands'.</summary>
        public static (double Own, double Children) OfShell(MemoryStream output)
        {
            var last = System.Text.Encoding.UTF8.GetString(output.ToArray()).TrimEnd().Split('\n')[^1];
            var f = Fields(last);
            return ((long.Parse(f[11]) + long.Parse(f[12])) * TickMs, (long.Parse(f[13]) + long.Parse(f[14])) * TickMs);
        }

        static long Ticks(string stat, bool all)
        {
            var f = Fields(stat);
            return long.Parse(f[11]) + long.Parse(f[12]) + (all ? long.Parse(f[13]) + long.Parse(f[14]) : 0);
        }

        // The fields after "(comm)", which may itself hold spaces: [0] is field 3 (state).
        static string[] Fields(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    // Milliseconds for the whole loop; a failing loop is a failed benchmark, not a fast one.
    private static async Task<double> TimeAsync(Func<Task<int>> run)
    {
        var clock = Stopwatch.StartNew();
        int code = await run();
        if (code != 0) throw new InvalidOperationException($"benchmark command exited {code}");
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task<int> Shell(string script, string socket, Stream output)
    {
        var info = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", script } };
        info.Environment["DOCKER_HOST"] = "unix://" + socket;
        info.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        info.RedirectStandardOutput = true;
        using var process = Process.Start(info)!;
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    private static void CopyTree(string from, string to)
    {
        var copy = Process.Start("cp", ["-a", from, to])!;
        copy.WaitForExit();
        if (copy.ExitCode != 0) throw new InvalidOperationException($"cp -a {from} {to} failed");
    }
}
