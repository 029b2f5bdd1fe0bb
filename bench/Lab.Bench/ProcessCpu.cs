namespace Lab.Bench;

/// <summary>This process's CPU time and its reaped children's (utime, stime, cutime, cstime of /proc/self/stat).</summary>
public static class ProcessCpu
{
    private const double TickMs = 10; // USER_HZ is 100 on Linux whatever the kernel's HZ

    public static double Millis()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        // The fields after "(comm)", which may hold spaces: [11..14] are fields 14-17.
        var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(f[11]) + long.Parse(f[12]) + long.Parse(f[13]) + long.Parse(f[14])) * TickMs;
    }
}
