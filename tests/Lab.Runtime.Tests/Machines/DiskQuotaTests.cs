using Lab.Runtime.Machines;
using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Machines;

/// <summary>The disk quota proven by trying to break it: a filler inside runs into ENOSPC at the machine's limit,
/// not at the host's. Alone (Exclusive) so the host's free space is not moved by other tests meanwhile.</summary>
[Collection(Exclusive.Name)]
public class DiskQuotaTests(MachineFixture fx) : IClassFixture<MachineFixture>
{
    private const long Disk = MachineDiskTests.SmallDisk;

    [Fact]
    public async Task A_disk_filler_gets_ENOSPC_inside_the_host_loses_at_most_the_disks_size_and_all_carries_on()
    {
        var filler = fx.NewName("fill");
        var neighbour = fx.NewName("fill");
        await fx.Host.StartAsync(filler, new MachineLimits { DiskBytes = Disk });
        await fx.Host.StartAsync(neighbour, new MachineLimits { DiskBytes = Disk });
        var image = Path.Combine(fx.Host.Options.MachinesDir, filler, "disk.img");
        var hostFreeBefore = new DriveInfo(fx.DataDir).AvailableFreeSpace;

        // Bounded at four times the disk, so a broken quota fails this test instead of filling the host.
        var (code, _, stderr) = await fx.Sh(filler, $"dd if=/dev/zero of=/big bs=1M count={4 * (Disk >> 20)}; rc=$?; sync; exit $rc");

        Assert.NotEqual(0, code);
        Assert.Contains("No space left on device", stderr);
        var (_, size, _) = await fx.Sh(filler, "wc -c < /big");
        Assert.InRange(long.Parse(size.Trim()), Disk * 7 / 10, Disk);
        var (_, available) = await MachineDiskTests.DfRoot(fx, filler);
        Assert.InRange(available, 0, 1024); // KiB: the machine's disk is full
        // What the host gave: the image's blocks, never more than its size.
        Assert.InRange(MachineDiskTests.AllocatedBytes(image), Disk * 7 / 10, Disk);
        // Measured on the whole host filesystem, which other processes (a build beside the tests) write to as well:
        // the bound sits halfway between a kept quota (the disk's size) and a broken one (the filler's 4x).
        var hostLost = hostFreeBefore - new DriveInfo(fx.DataDir).AvailableFreeSpace;
        Assert.True(hostLost < Disk * 2, $"the host lost {hostLost >> 20} MiB for a {Disk >> 20} MiB disk");

        // Both machines and the server carry on; a full machine still restarts; freeing space makes writes work.
        Assert.Equal((0, "fine\n", ""), await fx.Sh(neighbour, "echo fine > /root/f && cat /root/f"));
        Assert.Equal(MachineState.Running, fx.Host.Find(filler)!.State);
        await fx.Host.StopAsync(filler);
        await fx.Host.StartAsync(filler);
        Assert.Equal((0, "again\n", ""), await fx.Sh(filler, "rm /big && echo again > /root/after && cat /root/after"));
    }
}
