using System.Diagnostics;
using System.Text.Json;

namespace Lab.Bench;

/// <summary>Idle memory per container, two ways, the same for every contender. <see cref="Result.Meminfo"/> is
/// issue 4's measure: the Δ of AnonPages+SUnreclaim+PageTables+KernelStack+Percpu in /proc/meminfo. On a machine
/// others use too, their processes move AnonPages by more than 50 containers weigh, so <see cref="Result.Scoped"/>
/// counts the same kinds of memory for the contender only: its containers' processes (anonymous PSS, page tables,
/// kernel stacks), this process's anonymous memory (Lab's runtime lives in it; crun and runc keep nothing running
/// beside their containers), and the kernel's unreclaimable slab and per-cpu memory, which only global counters
/// show.</summary>
public static class ContainerMemory
{
    public sealed record Result(long Meminfo, long Scoped)
    {
        public override string ToString() => $"{Meminfo} KiB (scoped: {Scoped} KiB)";
    }

    /// <param name="start">Starts container i and returns the host pid of its process.</param>
    public static Result Measure(Func<int, int> start, Action<int> stop, int count = 50)
    {
        var before = Snapshot.Take();
        var pids = new int[count];
        for (int i = 0; i < count; i++) pids[i] = start(i);
        Thread.Sleep(1000);
        var after = Snapshot.Take();
        long processes = pids.Sum(ProcessCost);
        for (int i = 0; i < count; i++) stop(i);
        return new Result(
            (after.Total - before.Total) / count,
            (processes + after.OwnAnon - before.OwnAnon + after.KernelObjects - before.KernelObjects) / count);
    }

    /// <summary>The pid of a container of crun or runc, from `RUNTIME state ID`.</summary>
    public static int PidOf(string runtime, string id)
    {
        using var p = Process.Start(new ProcessStartInfo(runtime, ["state", id]) { RedirectStandardOutput = true })!;
        var state = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return JsonDocument.Parse(state).RootElement.GetProperty("pid").GetInt32();
    }

    // KiB a process costs: its anonymous PSS, its page tables and a 16 KiB kernel stack per thread.
    private static long ProcessCost(int pid)
    {
        long Field(IEnumerable<string> lines, string key) =>
            long.Parse(lines.First(l => l.StartsWith(key + ":")).Split(':')[1].Trim().Split(' ')[0]);
        var status = File.ReadAllLines($"/proc/{pid}/status");
        return Field(File.ReadLines($"/proc/{pid}/smaps_rollup"), "Pss_Anon") + Field(status, "VmPTE")
            + 16 * Field(status, "Threads");
    }

    private sealed record Snapshot(long Total, long KernelObjects, long OwnAnon)
    {
        // Lab's runtime lives in this process: what it keeps per container is in its heap, but so is the garbage
        // that starting 50 containers left and no collection has reclaimed yet, which would count as container
        // memory. A full, compacting collection that returns free memory to the kernel (Aggressive) leaves only
        // what lives; it runs before every reading, for every contender alike.
        public static Snapshot Take()
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            File.WriteAllText("/proc/sys/vm/drop_caches", "3");
            var meminfo = File.ReadLines("/proc/meminfo").Select(l => l.Split(':'))
                .ToDictionary(p => p[0], p => long.Parse(p[1].Trim().Split(' ')[0]));
            var own = File.ReadLines("/proc/self/status").First(l => l.StartsWith("RssAnon:"));
            string[] keys = ["AnonPages", "SUnreclaim", "PageTables", "KernelStack", "Percpu"];
            return new Snapshot(keys.Sum(k => meminfo[k]), meminfo["SUnreclaim"] + meminfo["Percpu"],
                long.Parse(own.Split(':')[1].Trim().Split(' ')[0]));
        }
    }
}
