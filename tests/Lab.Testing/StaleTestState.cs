using System.Text.RegularExpressions;
using Lab.Runtime.Cgroups;

namespace Lab.Testing;

/// <summary>A test run that was killed cannot clean up after itself. Its cgroup parents and data dirs carry its
/// pid (the same "lab-test-PID-" convention as the runtime's tests), so the next run removes them, killing the
/// machines left inside, once that pid is gone.</summary>
public static partial class StaleTestState
{
    public const string Prefix = "lab-test-";

    private static readonly Lazy<bool> Swept = new(() => { Sweep(); return true; });

    public static string OwnPrefix => $"{Prefix}{Environment.ProcessId}-";

    public static void EnsureSwept() => _ = Swept.Value;

    [GeneratedRegex(@"^lab-test-(\d+)-")]
    private static partial Regex Owned();

    private static bool IsStale(string name) =>
        Owned().Match(name) is { Success: true } match && !Directory.Exists($"/proc/{match.Groups[1].Value}");

    private static void Sweep()
    {
        var swept = new HashSet<string>();
        foreach (var parentDir in CandidateParents().Where(Directory.Exists))
        {
            foreach (var stale in Directory.GetDirectories(parentDir).Select(Path.GetFileName).OfType<string>().Where(IsStale))
            {
                if (!swept.Add(stale)) continue; // seen in another hierarchy: the driver removes it from all
                // A stale parent inside a cgroup2 mount (a hybrid host's /sys/fs/cgroup/unified, where the v2 driver's
                // own tests run) is swept with the v2 driver on that mount; elsewhere the host's driver does it.
                ICgroupDriver driver = File.Exists(Path.Combine(parentDir, "cgroup.controllers"))
                    ? new CgroupV2Driver(stale, MountOf(parentDir))
                    : CgroupDriver.Detect(stale);
                foreach (var machine in driver.ListMachines())
                {
                    driver.Destroy(machine);
                }

                driver.RemoveParent();
            }
        }

        // A killed run's private dockerd outlives it, holding its data dir mounted: released first. One that still
        // cannot go is left for the leftover check to name, rather than failing every fixture of this run.
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*").Where(d => IsStale(Path.GetFileName(d))))
        {
            DirectoryRelease.ReleaseAndDelete(dir);
        }
    }

    private static IEnumerable<string> CandidateParents()
    {
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            // Every v1 hierarchy, not only pids: a killed run can leave a parent in one controller (memory's, whose
            // removal lags) after the others are gone.
            var parts = line.Split(':', 3);
            if (parts[1].Length > 0 && !parts[1].StartsWith("name=", StringComparison.Ordinal))
            {
                yield return $"/sys/fs/cgroup/{parts[1]}{parts[2]}";
            }

            if (parts[0] == "0")
            {
                yield return "/sys/fs/cgroup" + parts[2];
                yield return "/sys/fs/cgroup/unified" + parts[2];
            }
        }
    }

    private static string MountOf(string dir) =>
        dir.StartsWith("/sys/fs/cgroup/unified", StringComparison.Ordinal) ? "/sys/fs/cgroup/unified" : "/sys/fs/cgroup";
}
