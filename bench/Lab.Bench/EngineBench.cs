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

            async Task<double> Lab(string script)
            {
                // The bench's busybox machine has no /var/run for the usual docker.sock link: the engine's own path.
                var errors = new MemoryStream();
                try { return await TimeAsync(() => machines.ExecAsync(machine, ["/bin/sh", "-c", "export DOCKER_HOST=unix:///run/lab-engine/docker.sock; " + script], Stream.Null, errors)); }
                catch (InvalidOperationException e) { throw new InvalidOperationException($"{e.Message}: {System.Text.Encoding.UTF8.GetString(errors.ToArray())}"); }
            }
            async Task<double> Dockerd(string script) => await TimeAsync(() => Shell(script, dockerd.Socket));

            int n = Math.Max(5, runs / 2);
            string Loop(string command) => $"i=0; while [ $i -lt {n} ]; do {command} >/dev/null || exit 1; i=$((i+1)); done";
            var rows = new List<(string Name, double Lab, double Dockerd)>();
            rows.Add(("docker run --rm busybox true", await Lab(Loop("/usr/local/bin/docker run --rm --network none busybox true")) / n,
                await Dockerd(Loop("/usr/local/bin/docker run --rm --network none busybox true")) / n));

            const string start = "/usr/local/bin/docker run -d --name c1 --network none busybox sleep 100000";
            await Lab(start);
            await Dockerd(start);
            rows.Add(("docker exec c1 true", await Lab(Loop("/usr/local/bin/docker exec c1 true")) / n, await Dockerd(Loop("/usr/local/bin/docker exec c1 true")) / n));

            var many = $"i=0; while [ $i -lt {Containers - 1} ]; do /usr/local/bin/docker run -d --network none busybox sleep 100000 >/dev/null || exit 1; i=$((i+1)); done";
            await Lab(many);
            await Dockerd(many);
            rows.Add(($"docker ps ({Containers} containers)", await Lab(Loop("/usr/local/bin/docker ps")) / n, await Dockerd(Loop("/usr/local/bin/docker ps")) / n));

            // Issue 8: a 5-step Dockerfile, built cold (--no-cache) and again unchanged (every step cached).
            const string dockerfile = "FROM busybox\\nWORKDIR /app\\nCOPY . /app\\nRUN echo built > /app/stamp\\nCMD [\\\"cat\\\", \\\"/app/stamp\\\"]\\n";
            string Context(string dir) =>
                $"mkdir -p {dir} && cd {dir} && printf \"{dockerfile}\" > Dockerfile && echo hello > a.txt && head -c 100000 /dev/zero > b.bin";
            var hostContext = Path.Combine(work, "dockerd-context");
            await Lab(Context("/tmp/context"));
            await Dockerd(Context(hostContext));
            int builds = Math.Max(3, runs / 10);
            string Builds(string dir, string options) => $"export DOCKER_BUILDKIT=0; i=0; while [ $i -lt {builds} ]; do /usr/local/bin/docker build {options} -t built {dir} >/dev/null 2>&1 || exit 1; i=$((i+1)); done";
            rows.Add(("docker build, 5 steps, cold (--no-cache)", await Lab(Builds("/tmp/context", "--no-cache")) / builds,
                await Dockerd(Builds(hostContext, "--no-cache")) / builds));
            rows.Add(("docker build, 5 steps, unchanged (all cached)", await Lab(Builds("/tmp/context", "")) / builds,
                await Dockerd(Builds(hostContext, "")) / builds));

            Console.WriteLine();
            Console.WriteLine($"{"engine API, CLI 28 (targets: run <= 0.2, exec <= 0.4, ps <= 0.8; build cold <= 0.8, cached <= 0.3 x dockerd)",-58} {"lab ms",10} {"dockerd ms",10} {"x dockerd",9}");
            foreach (var (name, lab, reference) in rows)
                Console.WriteLine($"{name,-58} {lab,10:F1} {reference,10:F1} {lab / reference,9:F2}");
        }
        finally
        {
            await machines.RemoveAsync(machine);
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    // Milliseconds for the whole loop; a failing loop is a failed benchmark, not a fast one.
    private static async Task<double> TimeAsync(Func<Task<int>> run)
    {
        var clock = Stopwatch.StartNew();
        int code = await run();
        if (code != 0) throw new InvalidOperationException($"benchmark command exited {code}");
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task<int> Shell(string script, string socket)
    {
        var info = new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", script } };
        info.Environment["DOCKER_HOST"] = "unix://" + socket;
        info.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        info.RedirectStandardOutput = true;
        using var process = Process.Start(info)!;
        await process.StandardOutput.ReadToEndAsync();
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
