namespace Lab.Runtime.Cgroups;

/// <summary>Bytes read and written, summed over block devices, from either hierarchy's I/O accounting.</summary>
internal static class CgroupIoStat
{
    /// <summary>v2 io.stat: one line per device, "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0".</summary>
    public static (long Read, long Write) ParseV2(IEnumerable<string> lines)
    {
        long read = 0, write = 0;
        foreach (var field in lines.SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)))
        {
            var kv = field.Split('=', 2);
            if (kv.Length != 2 || !long.TryParse(kv[1], out var v)) continue;
            if (kv[0] == "rbytes") read += v;
            else if (kv[0] == "wbytes") write += v;
        }
        return (read, write);
    }

    /// <summary>v1 blkio: "8:0 Read 4096", "8:0 Write 0", ... and a final "Total 4096" that is not a device.</summary>
    public static (long Read, long Write) ParseV1(IEnumerable<string> lines)
    {
        long read = 0, write = 0;
        foreach (var line in lines)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || !long.TryParse(parts[2], out var v)) continue;
            if (parts[1] == "Read") read += v;
            else if (parts[1] == "Write") write += v;
        }
        return (read, write);
    }

    public static (long Read, long Write) ReadV2(string dir) => Parse(dir, "io.stat", ParseV2);

    /// <summary>The throttle files count every bio whatever the I/O scheduler (the bfq/cfq ones stay empty under
    /// mq-deadline or none); the recursive variant includes nested containers. Older kernels lack it.</summary>
    public static (long Read, long Write) ReadV1(string dir) =>
        File.Exists(Path.Combine(dir, "blkio.throttle.io_service_bytes_recursive"))
            ? Parse(dir, "blkio.throttle.io_service_bytes_recursive", ParseV1)
            : Parse(dir, "blkio.throttle.io_service_bytes", ParseV1);

    /// <summary>This kernel's blk-throttle counts a device's bios in a v1 cgroup only once that cgroup has a rule
    /// for it (checked on 6.18: zero without, exact with), and the bfq files count only under bfq. A rate no
    /// device reaches (U64_MAX - 1 bytes/s; U64_MAX itself means "no rule") makes it count without throttling.
    /// Block devices that appear later are not covered: a machine's cgroup, made before its disk's loop device is
    /// attached, covers every device; a container's, made while its machine runs, only the attached ones (each rule
    /// is two cgroupfs writes, and a host has dozens of idle loop devices).</summary>
    public static void EnableV1Accounting(string dir, bool attachedOnly = false)
    {
        const string unreachable = "18446744073709551614";
        foreach (var device in Directory.Exists("/sys/block") ? Directory.GetDirectories("/sys/block") : [])
        {
            var numbers = Path.Combine(device, "dev");
            if (!File.Exists(numbers) || attachedOnly && IsDetachedLoop(device)) continue;
            var majorMinor = File.ReadAllText(numbers).Trim();
            CgroupFiles.TryWrite(dir, "blkio.throttle.read_bps_device", $"{majorMinor} {unreachable}");
            CgroupFiles.TryWrite(dir, "blkio.throttle.write_bps_device", $"{majorMinor} {unreachable}");
        }
    }

    // An unbound loop device reports a size of 0 sectors and does no I/O.
    private static bool IsDetachedLoop(string device) =>
        Path.GetFileName(device).StartsWith("loop", StringComparison.Ordinal)
        && File.ReadAllText(Path.Combine(device, "size")).Trim() == "0";

    private static (long, long) Parse(string dir, string file, Func<IEnumerable<string>, (long, long)> parse)
    {
        var path = Path.Combine(dir, file);
        return File.Exists(path) ? parse(File.ReadLines(path)) : (0, 0);
    }
}
