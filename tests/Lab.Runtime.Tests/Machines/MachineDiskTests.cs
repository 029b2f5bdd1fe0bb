using Lab.Runtime.Machines;
using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Machines;

/// <summary>Each machine's disk (an ext4 image on a loop device, mounted only inside the machine), checked from
/// inside and from the host: its size is what df shows, its files last as long as the machine, and nothing of it
/// — mount or loop device — outlives a stop, a kill or a failed start.</summary>
public class MachineDiskTests(MachineFixture fx) : IClassFixture<MachineFixture>
{
    internal const long SmallDisk = 64L << 20;

    private string MachineDir(string name) => Path.Combine(fx.Host.Options.MachinesDir, name);
    private string ImageOf(string name) => Path.Combine(MachineDir(name), "disk.img");

    private async Task<string> Started(long diskBytes = SmallDisk)
    {
        var name = fx.NewName("disk");
        await fx.Host.StartAsync(name, new MachineLimits { DiskBytes = diskBytes });
        return name;
    }

    /// <summary>Loop devices bound to the file, read from sysfs directly (not through the code under test).</summary>
    internal static List<string> LoopsBoundTo(string file) =>
        Directory.EnumerateFileSystemEntries("/sys/block", "loop*")
            .Where(dev => File.Exists(Path.Combine(dev, "loop", "backing_file"))
                          && File.ReadAllText(Path.Combine(dev, "loop", "backing_file")).Trim() is var backing
                          && (backing == file || backing == file + " (deleted)"))
            .Select(Path.GetFileName).OfType<string>().ToList();

    private static bool MountedOnHost(string machineDir) =>
        File.ReadLines("/proc/self/mountinfo").Any(l => l.Contains(machineDir + "/") || l.Contains(machineDir + " "));

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (int i = 0; i < 250 && !condition(); i++) await Task.Delay(20);
        return condition();
    }

    /// <summary>Size of the root filesystem inside, in KiB, from busybox df.</summary>
    internal static async Task<(long Total, long Available)> DfRoot(MachineFixture fx, string name)
    {
        var (code, stdout, stderr) = await fx.Sh(name, "df -k / | tail -n 1");
        Assert.True(code == 0, stderr);
        var fields = stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (long.Parse(fields[1]), long.Parse(fields[3]));
    }

    [Fact]
    public async Task Df_inside_shows_the_disk_limit()
    {
        var name = await Started();
        var (total, _) = await DfRoot(fx, name);
        // ext4 keeps some of it for its journal and inode tables.
        Assert.InRange(total * 1024, SmallDisk * 8 / 10, SmallDisk);
    }

    [Fact]
    public async Task The_machines_writes_land_in_its_disk_image_and_the_image_is_mounted_only_inside()
    {
        var name = await Started();
        long before = AllocatedBytes(ImageOf(name));
        Assert.Equal(0, (await fx.Sh(name, "head -c 8388608 /dev/urandom > /root/blob && sync")).Code);
        Assert.True(AllocatedBytes(ImageOf(name)) - before >= 8L << 20, "the machine's file is not in its disk image");
        Assert.False(Directory.Exists(Path.Combine(MachineDir(name), "upper")), "an upper dir on the host's filesystem");
        Assert.Single(LoopsBoundTo(ImageOf(name)));
        Assert.False(MountedOnHost(MachineDir(name)), "the machine's disk is mounted in the host's namespace");
        Assert.True(new FileInfo(ImageOf(name)).UnixFileMode == (UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Fact]
    public async Task Files_survive_a_stop_and_start_and_nothing_of_the_disk_stays_bound_or_mounted_after_the_stop()
    {
        var name = await Started();
        await fx.Sh(name, "echo kept > /root/notes.txt");
        Assert.Single(LoopsBoundTo(ImageOf(name)));

        await fx.Host.StopAsync(name);

        Assert.Empty(LoopsBoundTo(ImageOf(name)));
        Assert.False(MountedOnHost(MachineDir(name)));
        await fx.Host.StartAsync(name);
        Assert.Equal((0, "kept\n", ""), await fx.Sh(name, "cat /root/notes.txt"));
        Assert.Equal(SmallDisk, new FileInfo(ImageOf(name)).Length); // the machine's limit, not the default
    }

    [Fact]
    public async Task A_machine_killed_from_outside_releases_its_disk()
    {
        var name = await Started();
        await fx.Sh(name, "(sleep 1000 &); echo data > /root/f");
        var init = fx.Host.Find(name)!.InitPid!.Value;

        Tmds.Linux.LibC.kill(init, Tmds.Linux.LibC.SIGKILL);

        Assert.True(await Eventually(() => LoopsBoundTo(ImageOf(name)).Count == 0),
            $"still bound: {string.Join(", ", LoopsBoundTo(ImageOf(name)))}");
        Assert.False(MountedOnHost(MachineDir(name)));
        Assert.True(await Eventually(() => fx.Host.Find(name)!.State == MachineState.Stopped));
        // The kernel unmounted it cleanly: the next boot finds the file.
        await fx.Host.StartAsync(name);
        Assert.Equal((0, "data\n", ""), await fx.Sh(name, "cat /root/f"));
    }

    [Fact]
    public async Task Remove_deletes_the_disk_image()
    {
        var name = await Started();
        var image = ImageOf(name);
        await fx.Host.RemoveAsync(name);
        Assert.False(File.Exists(image));
        Assert.Empty(LoopsBoundTo(image));
    }

    [Fact]
    public async Task A_failed_boot_leaves_no_loop_device_bound()
    {
        // An init helper that fails at once: the disk was bound for it, then must be released.
        var options = new RuntimeOptions
        {
            DataDir = Path.Combine(fx.DataDir, "failing"),
            CgroupParent = $"{StaleTestState.Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..32],
            InitHelperPath = "/bin/false",
        };
        using var host = new MachineHost(options, fx.Host.Image);
        try
        {
            var ex = await Assert.ThrowsAsync<LabException>(() => host.StartAsync("failing", new MachineLimits { DiskBytes = SmallDisk }));
            Assert.Equal(ErrorKind.Unavailable, ex.Kind);
            var image = Path.Combine(options.MachinesDir, "failing", "disk.img");
            Assert.True(File.Exists(image));
            Assert.True(await Eventually(() => LoopsBoundTo(image).Count == 0), "the failed boot left its disk bound");
        }
        finally
        {
            host.Cgroups.RemoveParent();
        }
    }

    [Fact]
    public async Task Growing_the_limit_of_a_stopped_machine_grows_its_disk_and_keeps_its_files()
    {
        var name = await Started();
        await fx.Sh(name, "echo kept > /root/notes.txt");
        var (before, _) = await DfRoot(fx, name);
        await fx.Host.StopAsync(name);

        await fx.Host.StartAsync(name, new MachineLimits { DiskBytes = 2 * SmallDisk });

        var (after, _) = await DfRoot(fx, name);
        Assert.InRange(after - before, (SmallDisk >> 10) * 8 / 10, SmallDisk >> 10);
        Assert.Equal((0, "kept\n", ""), await fx.Sh(name, "cat /root/notes.txt"));
        Assert.Equal(2 * SmallDisk, fx.Host.Find(name)!.Limits.DiskBytes);
    }

    [Fact]
    public async Task A_shrink_below_what_the_files_need_is_refused_and_one_that_fits_is_applied()
    {
        var name = await Started();
        await fx.Sh(name, "head -c 41943040 /dev/zero > /root/forty-mib");
        await fx.Host.StopAsync(name);

        var ex = await Assert.ThrowsAsync<LabException>(() =>
            fx.Host.StartAsync(name, new MachineLimits { DiskBytes = 32L << 20 }));
        Assert.Equal(ErrorKind.Conflict, ex.Kind);
        Assert.Contains("cannot shrink", ex.Message);
        Assert.Equal(SmallDisk, fx.Host.Find(name)!.Limits.DiskBytes);
        Assert.Equal(SmallDisk, new FileInfo(ImageOf(name)).Length);

        await fx.Host.StartAsync(name);
        await fx.Sh(name, "rm /root/forty-mib; echo small > /root/kept");
        await fx.Host.StopAsync(name);
        await fx.Host.StartAsync(name, new MachineLimits { DiskBytes = 32L << 20 });
        var (total, _) = await DfRoot(fx, name);
        Assert.InRange(total, (32L << 10) * 7 / 10, 32L << 10);
        Assert.Equal((0, "small\n", ""), await fx.Sh(name, "cat /root/kept"));
    }

    [Fact]
    public async Task A_disk_below_the_minimum_is_refused()
    {
        var ex = await Assert.ThrowsAsync<LabException>(() =>
            fx.Host.StartAsync(fx.NewName("disk"), new MachineLimits { DiskBytes = 1L << 20 }));
        Assert.Equal(ErrorKind.InvalidParameter, ex.Kind);
        Assert.Contains("at least 16 MiB", ex.Message);
    }

    [Fact]
    public async Task A_machine_from_before_disks_gets_its_files_copied_onto_its_new_disk()
    {
        // The layout machines had before disks: state.json, upper/ and work/ on the host's filesystem.
        var name = fx.NewName("legacy");
        var dir = MachineDir(name);
        new MachineStore(fx.Host.Options.MachinesDir).Save(new MachineRecord
        {
            Name = name, CreatedAt = DateTimeOffset.UtcNow, Limits = new MachineLimits { DiskBytes = SmallDisk },
        });
        Directory.CreateDirectory(Path.Combine(dir, "upper", "root"));
        Directory.CreateDirectory(Path.Combine(dir, "upper", "etc"));
        Directory.CreateDirectory(Path.Combine(dir, "work", "work"));
        File.WriteAllText(Path.Combine(dir, "upper", "root", "old.txt"), "from before\n");
        MakeWhiteout(Path.Combine(dir, "upper", "etc", "group")); // the student had deleted /etc/group

        await fx.Host.StartAsync(name);

        Assert.Equal((0, "from before\n", ""), await fx.Sh(name, "cat /root/old.txt"));
        Assert.NotEqual(0, (await fx.Sh(name, "test -e /etc/group")).Code);
        Assert.Equal(0, (await fx.Sh(name, "test -e /etc/passwd")).Code);
        Assert.False(Directory.Exists(Path.Combine(dir, "upper")));
        Assert.False(Directory.Exists(Path.Combine(dir, "work")));
        Assert.True(File.Exists(ImageOf(name)));
    }

    /// <summary>An overlayfs whiteout: a character device 0:0.</summary>
    private static void MakeWhiteout(string path) => Assert.Equal("", Run("mknod", path, "c", "0", "0"));

    /// <summary>What the file takes on the host's filesystem (stat's blocks).</summary>
    internal static long AllocatedBytes(string path) =>
        Run("stat", "-c", "%b %B", path).Split(' ') is [var blocks, var size] ? long.Parse(blocks) * long.Parse(size) : -1;

    private static string Run(string file, params string[] args)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, args)
            { RedirectStandardOutput = true })!;
        var output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return output;
    }
}
