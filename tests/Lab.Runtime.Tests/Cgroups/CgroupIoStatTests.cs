using Lab.Runtime.Cgroups;

namespace Lab.Runtime.Tests.Cgroups;

public class CgroupIoStatTests
{
    [Fact]
    public void V1_sums_reads_and_writes_over_devices_and_ignores_the_totals()
    {
        string[] lines =
        [
            "254:0 Read 4202496", "254:0 Write 4194304", "254:0 Sync 8396800", "254:0 Async 0",
            "254:0 Discard 0", "254:0 Total 8396800",
            "7:3 Read 100", "7:3 Write 28", "7:3 Total 128",
            "Total 8396928",
        ];
        Assert.Equal((4202596L, 4194332L), CgroupIoStat.ParseV1(lines));
    }

    [Fact]
    public void V1_without_any_device_is_zero()
    {
        Assert.Equal((0L, 0L), CgroupIoStat.ParseV1(["Total 0"]));
    }

    [Fact]
    public void V2_sums_rbytes_and_wbytes_over_devices()
    {
        string[] lines =
        [
            "254:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=512 dios=1",
            "7:3 rbytes=100 wbytes=1 rios=1 wios=1 dbytes=0 dios=0",
        ];
        Assert.Equal((4196L, 8193L), CgroupIoStat.ParseV2(lines));
    }
}
