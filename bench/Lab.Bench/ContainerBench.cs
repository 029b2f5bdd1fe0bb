using System.Diagnostics;
using Lab.Runtime.Containers;
using Lab.Runtime.Images;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Machines;

namespace Lab.Bench;

/// <summary>Issue 4's container benchmark: `true` in a nested container through the Lab.Runtime API against
/// `crun run` and `runc run`, all on the busybox recipe's layer directory as the rootfs; then the idle memory of
/// 50 containers running `sleep`, for each.</summary>
public sealed class ContainerBench(string work, MachineHost host)
{
    private const string Machine = "bench-containers";

    public async Task<List<(string Name, Sample Sample)>> RunAsync(int runs, List<string> notes)
    {
        var store = new ImageStore(Path.Combine(work, "store"));
        var recipe = new RecipeImage("busybox", Path.Combine(RepoRoot(), "labs", "images", "busybox"), store.Root);
        var manifest = await RecipeImageConverter.ToOciImageAsync(recipe, new ContainerConfig { Cmd = ["sh"] }, store.Content);
        await store.Names(Machine).TagAsync(Reference.Parse("busybox"), manifest);
        var rootfs = (await store.LayerDirectoriesAsync(store.Find(Machine, "busybox")!))[0];
        using var containers = new ContainerHost(host, store);
        await host.StartAsync(Machine);
        var results = new List<(string, Sample)>();
        try
        {
            int n = 0;
            results.Add(("crun run (true), same busybox layer", Sample.Measure(runs, () =>
                Run("crun", "run", "--bundle", Bundle("crun", rootfs, "/bin/true"), $"lab-bench-{Environment.ProcessId}-{n++}"))));
            results.Add(("runc run (true), same busybox layer", Sample.Measure(runs, () =>
                Run("runc", "run", "--bundle", Bundle("runc", rootfs, "/bin/true"), $"lab-bench-{Environment.ProcessId}-{n++}"))));
            results.Add(("lab: container create+start+wait (true) + rm", Sample.Measure(runs, () =>
            {
                var c = containers.CreateAsync(Machine, new ContainerSpec { Image = "busybox", Cmd = ["/bin/true"], NetworkMode = "none" }).GetAwaiter().GetResult();
                containers.StartAsync(Machine, c.Id).GetAwaiter().GetResult();
                int code = containers.WaitAsync(Machine, c.Id).GetAwaiter().GetResult();
                if (code != 0) throw new InvalidOperationException($"true exited {code}");
                containers.RemoveAsync(Machine, c.Id).GetAwaiter().GetResult();
            })));

            notes.Add($"idle memory per container (50 x sleep): crun {IdleMemory(i => RunDetached("crun", "run", "-d", "--bundle", Bundle("crun-sleep", rootfs, "/bin/sleep", "1000"), Id("c", i)), i => CleanUp("crun", Id("c", i)))} KiB");
            notes.Add($"idle memory per container (50 x sleep): runc {IdleMemory(i => RunDetached("runc", "run", "-d", "--bundle", Bundle("runc-sleep", rootfs, "/bin/sleep", "1000"), Id("r", i)), i => CleanUp("runc", Id("r", i)))} KiB");
            results.Add(("grading: 5 checks, machine with 20 containers", await GradingBench.RunAsync(containers, Machine, runs)));
            // crun's and runc's bundles have a network namespace with only lo: the same as Lab's --network none.
            // Lab's default bridge adds a veth pair per container, measured apart.
            notes.Add($"idle memory per container (50 x sleep): lab {LabIdleMemory(containers, "none")} KiB (--network none, as the crun/runc bundles)");
            notes.Add($"idle memory per container (50 x sleep): lab with the default bridge {LabIdleMemory(containers, "default")} KiB");
        }
        finally
        {
            await host.RemoveAsync(Machine);
        }
        return results;
    }

    private static long LabIdleMemory(ContainerHost containers, string network)
    {
        var ids = new string[50];
        return IdleMemory(i =>
        {
            var c = containers.CreateAsync(Machine, new ContainerSpec { Image = "busybox", Cmd = ["/bin/sleep", "1000"], NetworkMode = network }).GetAwaiter().GetResult();
            containers.StartAsync(Machine, c.Id).GetAwaiter().GetResult();
            ids[i] = c.Id;
        }, i => containers.RemoveAsync(Machine, ids[i], force: true).GetAwaiter().GetResult());
    }

    private static string Id(string prefix, int i) => $"lab-bench-{prefix}{Environment.ProcessId}-{i}";

    // Δ of the kernel's and processes' unshared memory, after dropping caches, per container.
    private static long IdleMemory(Action<int> start, Action<int> stop, int count = 50)
    {
        var before = Meminfo();
        for (int i = 0; i < count; i++) start(i);
        Thread.Sleep(1000);
        var after = Meminfo();
        for (int i = 0; i < count; i++) stop(i);
        return (after - before) / count;
    }

    // Lab's runtime lives in this process: what it keeps per container is in its heap, but so is the garbage that
    // starting 50 containers left and no collection has reclaimed yet, which would count as container memory. A
    // full, compacting collection that returns free memory to the kernel (Aggressive) leaves only what lives; it
    // runs before every reading, for every contender alike (crun and runc keep nothing in this process).
    private static long Meminfo()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        File.WriteAllText("/proc/sys/vm/drop_caches", "3");
        string[] keys = ["AnonPages", "SUnreclaim", "PageTables", "KernelStack", "Percpu"];
        return File.ReadLines("/proc/meminfo")
            .Select(l => l.Split(':'))
            .Where(p => keys.Contains(p[0]))
            .Sum(p => long.Parse(p[1].Trim().Split(' ')[0]));
    }

    private string Bundle(string name, string rootfs, params string[] args)
    {
        var dir = Path.Combine(work, "bundles", name);
        if (!Directory.Exists(dir)) CrunBundle.Create(dir, rootfs, readOnly: true, args);
        return dir;
    }

    private static void CleanUp(string runtime, string id)
    {
        Run(runtime, "kill", id, "KILL");
        for (int i = 0; i < 100; i++)
        {
            try { Run(runtime, "delete", id); return; }
            catch (InvalidOperationException) { Thread.Sleep(20); }
        }
    }

    // A detached container inherits the runtime's stdio: give it /dev/null, or reading its stderr never ends.
    private static void RunDetached(string file, params string[] args) =>
        Run("sh", ["-c", "exec \"$0\" \"$@\" </dev/null >/dev/null 2>&1", file, .. args]);

    private static void Run(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} exited {p.ExitCode}: {err}");
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Lab.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
