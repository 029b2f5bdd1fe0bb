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
            void Cycle(string network)
            {
                var c = containers.CreateAsync(Machine, new ContainerSpec { Image = "busybox", Cmd = ["/bin/true"], NetworkMode = network }).GetAwaiter().GetResult();
                containers.StartAsync(Machine, c.Id).GetAwaiter().GetResult();
                int code = containers.WaitAsync(Machine, c.Id).GetAwaiter().GetResult();
                if (code != 0) throw new InvalidOperationException($"true exited {code}");
                containers.RemoveAsync(Machine, c.Id).GetAwaiter().GetResult();
            }
            for (int i = 0; i < Sample.ServerWarmup; i++) Cycle("none"); // the JIT's steady state, see ServerWarmup
            using (PerfRecording.Start("containers"))
                results.Add(("lab: container create+start+wait (true) + rm", Sample.Measure(runs, () => Cycle("none"))));
            // Issue 7: the same cycle on the default bridge (a veth pair plugged and unplugged, an address leased).
            results.Add(("lab: the same on the default bridge network", Sample.Measure(runs, () => Cycle("default"), warmup: 20)));

            notes.Add($"idle memory per container (50 x sleep): crun {RuntimeIdleMemory("crun", rootfs, "c")}");
            notes.Add($"idle memory per container (50 x sleep): runc {RuntimeIdleMemory("runc", rootfs, "r")}");
            results.Add(("grading: 5 checks, machine with 20 containers", await GradingBench.RunAsync(containers, Machine, runs)));
            // crun's and runc's bundles have a network namespace with only lo: the same as Lab's --network none.
            // Lab's default bridge adds a veth pair per container, measured apart.
            notes.Add($"idle memory per container (50 x sleep): lab {LabIdleMemory(containers, "none")} (--network none, as the crun/runc bundles)");
            notes.Add($"idle memory per container (50 x sleep): lab with the default bridge {LabIdleMemory(containers, "default")}");
            notes.Add("  (scoped: the containers' processes, this process's anonymous memory and the kernel's unreclaimable slab and per-cpu Δ; see ContainerMemory)");
        }
        finally
        {
            await host.RemoveAsync(Machine);
        }
        return results;
    }

    private static ContainerMemory.Result LabIdleMemory(ContainerHost containers, string network)
    {
        var ids = new string[50];
        return ContainerMemory.Measure(i =>
        {
            var c = containers.CreateAsync(Machine, new ContainerSpec { Image = "busybox", Cmd = ["/bin/sleep", "1000"], NetworkMode = network }).GetAwaiter().GetResult();
            containers.StartAsync(Machine, c.Id).GetAwaiter().GetResult();
            ids[i] = c.Id;
            return containers.Get(Machine, c.Id).State.Pid;
        }, i => containers.RemoveAsync(Machine, ids[i], force: true).GetAwaiter().GetResult());
    }

    private ContainerMemory.Result RuntimeIdleMemory(string runtime, string rootfs, string prefix) =>
        ContainerMemory.Measure(i =>
        {
            RunDetached(runtime, "run", "-d", "--bundle", Bundle($"{runtime}-sleep", rootfs, "/bin/sleep", "1000"), Id(prefix, i));
            return ContainerMemory.PidOf(runtime, Id(prefix, i));
        }, i => CleanUp(runtime, Id(prefix, i)));

    private static string Id(string prefix, int i) => $"lab-bench-{prefix}{Environment.ProcessId}-{i}";

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
