using System.Diagnostics;
using System.Runtime.InteropServices;
using Lab.Runtime.Native;

namespace Lab.Runtime.Tests.Native;

/// <summary>The loop device wrapper against the real kernel, and its ioctl numbers and struct layout against
/// linux/loop.h: a wrong number or offset here would bind the wrong thing silently.</summary>
public class LoopDeviceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory($"lab-test-{Environment.ProcessId}-loop-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string NewFile(long bytes = 8L << 20)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.img");
        using var file = File.Create(path);
        file.SetLength(bytes);
        return path;
    }

    /// <summary>Read straight from sysfs, independently of the code under test.</summary>
    private static string? Sysfs(string device, string attribute)
    {
        var path = $"/sys/block/{Path.GetFileName(device)}/loop/{attribute}";
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (int i = 0; i < 200 && !condition(); i++) await Task.Delay(10);
        return condition();
    }

    [Fact]
    public async Task An_attached_file_is_bound_with_autoclear_and_unbound_when_the_last_holder_closes()
    {
        var file = NewFile();
        string device;
        using (var loop = LoopDevice.Attach(file))
        {
            device = loop.Path;
            Assert.Matches(@"^/dev/loop\d+$", device);
            Assert.Equal(file, Sysfs(device, "backing_file"));
            Assert.Equal("1", Sysfs(device, "autoclear"));
            Assert.Equal([device], LoopDevice.BoundTo(file));
        }
        Assert.True(await Eventually(() => Sysfs(device, "backing_file") != file), $"{device} is still bound to {file}");
        Assert.Empty(LoopDevice.BoundTo(file));
    }

    [Fact]
    public void The_backing_file_is_read_with_direct_io_where_its_filesystem_allows()
    {
        using var loop = LoopDevice.Attach(NewFile());
        // The temp dir is on ext4 here, which supports O_DIRECT.
        Assert.Equal("1", Sysfs(loop.Path, "dio"));
    }

    [Fact]
    public void Concurrent_attachments_get_distinct_devices()
    {
        var files = Enumerable.Range(0, 6).Select(_ => NewFile()).ToList();
        var loops = new LoopDevice[files.Count];
        try
        {
            Parallel.For(0, files.Count, i => loops[i] = LoopDevice.Attach(files[i]));
            Assert.Equal(files.Count, loops.Select(l => l.Path).Distinct().Count());
            for (int i = 0; i < files.Count; i++) Assert.Equal(files[i], Sysfs(loops[i].Path, "backing_file"));
        }
        finally
        {
            foreach (var loop in loops) loop?.Dispose();
        }
    }

    [Fact]
    public void Nothing_is_bound_to_a_file_never_attached_or_missing()
    {
        Assert.Empty(LoopDevice.BoundTo(NewFile()));
        Assert.Empty(LoopDevice.BoundTo(Path.Combine(_dir, "missing.img")));
    }

    [Fact]
    public void A_missing_backing_file_is_reported_with_its_path()
    {
        var missing = Path.Combine(_dir, "missing.img");
        var ex = Assert.Throws<LinuxException>(() => LoopDevice.Attach(missing));
        Assert.Equal(Tmds.Linux.LibC.ENOENT, ex.Errno);
        Assert.Contains(missing, ex.Message);
    }

    [Fact]
    public void Ioctl_numbers_and_struct_layout_match_linux_loop_h()
    {
        var h = FromHeaders();
        Assert.Equal(LoopInterop.LOOP_CTL_GET_FREE, h["LOOP_CTL_GET_FREE"]);
        Assert.Equal(LoopInterop.LOOP_CONFIGURE, h["LOOP_CONFIGURE"]);
        Assert.Equal(LoopInterop.LO_FLAGS_AUTOCLEAR, h["LO_FLAGS_AUTOCLEAR"]);
        Assert.Equal(LoopInterop.LO_FLAGS_DIRECT_IO, h["LO_FLAGS_DIRECT_IO"]);
        Assert.Equal(LoopInterop.LO_NAME_SIZE, h["LO_NAME_SIZE"]);
        Assert.Equal(LoopInterop.LOOP_MAJOR, h["LOOP_MAJOR"]);
        Assert.Equal(System.Runtime.CompilerServices.Unsafe.SizeOf<loop_info64>(), h["sizeof_loop_info64"]);
        Assert.Equal(System.Runtime.CompilerServices.Unsafe.SizeOf<loop_config>(), h["sizeof_loop_config"]);
        Assert.Equal((long)Marshal.OffsetOf<loop_config>(nameof(loop_config.info)), h["offsetof_info"]);
        Assert.Equal((long)Marshal.OffsetOf<loop_info64>(nameof(loop_info64.lo_flags)), h["offsetof_lo_flags"]);
        Assert.Equal((long)Marshal.OffsetOf<loop_info64>(nameof(loop_info64.lo_file_name)), h["offsetof_lo_file_name"]);
        Assert.Equal(PathCalls.MakeDev(7, 300), (ulong)h["makedev_7_300"]);
        Assert.Equal(PathCalls.MakeDev(259, 0x12345), (ulong)h["makedev_259_12345"]);
    }

    private Dictionary<string, long> FromHeaders()
    {
        var source = Path.Combine(_dir, "probe.c");
        File.WriteAllText(source, """
            #include <stdio.h>
            #include <stddef.h>
            #include <linux/loop.h>
            #include <linux/major.h>
            #include <sys/sysmacros.h>
            int main(void) {
                printf("LOOP_CTL_GET_FREE %ld\n", (long)LOOP_CTL_GET_FREE);
                printf("LOOP_CONFIGURE %ld\n", (long)LOOP_CONFIGURE);
                printf("LO_FLAGS_AUTOCLEAR %ld\n", (long)LO_FLAGS_AUTOCLEAR);
                printf("LO_FLAGS_DIRECT_IO %ld\n", (long)LO_FLAGS_DIRECT_IO);
                printf("LO_NAME_SIZE %ld\n", (long)LO_NAME_SIZE);
                printf("LOOP_MAJOR %ld\n", (long)LOOP_MAJOR);
                printf("sizeof_loop_info64 %ld\n", (long)sizeof(struct loop_info64));
                printf("sizeof_loop_config %ld\n", (long)sizeof(struct loop_config));
                printf("offsetof_info %ld\n", (long)offsetof(struct loop_config, info));
                printf("offsetof_lo_flags %ld\n", (long)offsetof(struct loop_info64, lo_flags));
                printf("offsetof_lo_file_name %ld\n", (long)offsetof(struct loop_info64, lo_file_name));
                printf("makedev_7_300 %ld\n", (long)makedev(7, 300));
                printf("makedev_259_12345 %ld\n", (long)makedev(259, 0x12345));
                return 0;
            }
            """);
        var exe = Path.Combine(_dir, "probe");
        using (var cc = Process.Start("gcc", ["-o", exe, source])!) { cc.WaitForExit(); Assert.Equal(0, cc.ExitCode); }
        using var run = Process.Start(new ProcessStartInfo(exe) { RedirectStandardOutput = true })!;
        var output = run.StandardOutput.ReadToEnd();
        run.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).ToDictionary(p => p[0], p => long.Parse(p[1]));
    }
}
