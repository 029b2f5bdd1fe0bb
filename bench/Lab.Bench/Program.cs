using System.Diagnostics;
using System.Text.Json;
using Lab.Bench;
using Lab.Runtime;
using Lab.Runtime.Machines;

// `make bench`: a lab machine's start + `true`, against the floor (unshare + chroot) and crun, in one run,
// on the same busybox rootfs, as medians of N runs. Ratios matter, not absolute numbers.
int runs = args.Length > 0 ? int.Parse(args[0]) : 50;
var work = Directory.CreateTempSubdirectory("lab-bench-").FullName;
try
{
    var rootfs = BusyboxRootfs.Build(Path.Combine(work, "rootfs"));
    if (args.Length > 1 && args[1] == "engine") // `bench/run N engine`: the Engine API against dockerd only
    {
        await EngineBench.RunAsync(work, rootfs, runs);
        return;
    }
    if (args.Length > 1 && args[1] == "preview") // `bench/run N preview`: the preview proxy against direct only
    {
        await PreviewBench.RunAsync(work, new DirectoryImage(rootfs));
        return;
    }
    if (args.Length > 1 && args[1] == "containers") // `bench/run N containers`: nested containers against crun/runc only
    {
        using var containersHost = NewHost(work, rootfs);
        var containerNotes = new List<string>();
        PrintContainers(await new ContainerBench(work, containersHost).RunAsync(runs, containerNotes), containerNotes);
        containersHost.Cgroups.RemoveParent();
        return;
    }
    var results = new List<(string Name, Sample Sample)>();

    results.Add(("floor: unshare --pid --fork --mount --uts --ipc --net chroot true",
        Sample.Measure(runs, () => Run("unshare", "--pid", "--fork", "--mount", "--uts", "--ipc", "--net", "chroot", rootfs, "/bin/true"))));

    var bundle = CrunBundle.Create(Path.Combine(work, "bundle"), rootfs);
    int n = 0;
    results.Add(("crun run (true)", Sample.Measure(runs, () => Run("crun", "run", "--bundle", bundle, $"lab-bench-{Environment.ProcessId}-{n++}"))));

    using var host = NewHost(work, rootfs);
    int m = 0;
    var stopwatch = new Stopwatch();
    var startAndTrue = new List<double>();
    results.Add(("lab: new machine (mkfs its disk) + exec true + stop + rm", Sample.Measure(runs, () =>
    {
        var name = $"bench-{m++}";
        stopwatch.Restart();
        host.StartAsync(name).GetAwaiter().GetResult();
        int code = host.ExecAsync(name, ["/bin/true"], Stream.Null, Stream.Null).GetAwaiter().GetResult();
        startAndTrue.Add(stopwatch.Elapsed.TotalMilliseconds);
        if (code != 0) throw new InvalidOperationException($"true exited {code}");
        host.RemoveAsync(name).GetAwaiter().GetResult();
    })));
    results.Add(("lab: new machine + exec true (teardown excluded)", new Sample(startAndTrue)));

    // A student's machine is created once and started many times: time that start too.
    var again = "bench-again";
    host.StartAsync(again).GetAwaiter().GetResult();
    host.StopAsync(again).GetAwaiter().GetResult();
    results.Add(("lab: start existing machine + exec true (+ stop)", Sample.Measure(runs, () =>
    {
        host.StartAsync(again).GetAwaiter().GetResult();
        host.ExecAsync(again, ["/bin/true"], Stream.Null, Stream.Null).GetAwaiter().GetResult();
        host.StopAsync(again).GetAwaiter().GetResult();
    })));
    host.RemoveAsync(again).GetAwaiter().GetResult();

    var warm = "bench-warm";
    host.StartAsync(warm).GetAwaiter().GetResult();
    results.Add(("lab: exec true in a running machine", Sample.Measure(runs, () =>
        host.ExecAsync(warm, ["/bin/true"], Stream.Null, Stream.Null).GetAwaiter().GetResult())));
    var idle = host.Stats(warm).MemoryBytes;
    host.RemoveAsync(warm).GetAwaiter().GetResult();

    var notes = new List<string>();
    var containerResults = await new ContainerBench(work, host).RunAsync(runs, notes);
    host.Cgroups.RemoveParent();

    var floor = results[0].Sample.Median;
    var crun = results[1].Sample.Median;
    Console.WriteLine($"{"benchmark",-58} {"median ms",10} {"p90 ms",8} {"x floor",8} {"x crun",7}");
    foreach (var (name, s) in results)
        Console.WriteLine($"{name,-58} {s.Median,10:F1} {s.P90,8:F1} {s.Median / floor,8:F2} {s.Median / crun,7:F2}");
    Console.WriteLine($"idle lab machine memory (cgroup memory usage): {idle / 1024} KiB");
    PrintContainers(containerResults, notes);
    results.AddRange(containerResults);
    await PreviewBench.RunAsync(work, new DirectoryImage(rootfs)); // prints its own table: proxy vs direct
    await EngineBench.RunAsync(work, rootfs, runs); // prints its own table: Lab's Engine API vs dockerd
    var json = JsonSerializer.Serialize(results.Select(r => new { r.Name, r.Sample.Median, r.Sample.P90 }));
    File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "bench-results.json"), json);
}
finally
{
    Directory.Delete(work, recursive: true);
}

static MachineHost NewHost(string work, string rootfs) => new(new RuntimeOptions
{
    DataDir = Path.Combine(work, "data"),
    CgroupParent = $"lab-bench-{Environment.ProcessId}",
}, new DirectoryImage(rootfs));

static void PrintContainers(List<(string Name, Sample Sample)> containerResults, List<string> notes)
{
    var crunContainers = containerResults[0].Sample.Median;
    Console.WriteLine();
    var crunCpu = containerResults[0].Sample.CpuMillis;
    Console.WriteLine($"{"nested containers (target: lab <= 0.7 x crun); grading (<= 20 ms)",-58} {"median ms",10} {"p90 ms",8} {"x crun",8} {"cpu ms",8} {"cpu x crun",10}");
    foreach (var (name, s) in containerResults)
        Console.WriteLine($"{name,-58} {s.Median,10:F1} {s.P90,8:F1} {s.Median / crunContainers,8:F2} {s.CpuMillis,8:F1} {s.CpuMillis / crunCpu,10:F2}");
    foreach (var note in notes) Console.WriteLine(note);
}

static void Run(string file, params string[] args)
{
    using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
    var err = p.StandardError.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{file} exited {p.ExitCode}: {err}");
}
