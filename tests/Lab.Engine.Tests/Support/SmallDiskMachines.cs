using System.Formats.Tar;
using System.Text;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Machines;

namespace Lab.Engine.Tests.Support;

/// <summary>Lab machines with a real 64 MiB disk, for tests of what their quota covers: each has the library's
/// busybox (a base image, free) under its own name, and is removed with its image names at the end.</summary>
public sealed class SmallDiskMachines(EngineTestServer server) : IAsyncDisposable
{
    public const long Disk = 64L << 20;
    public const long MiB = 1L << 20;

    readonly List<string> _machines = [];

    /// <summary>Starts one; the injected caller is now it.</summary>
    public async Task<string> StartAsync()
    {
        var busybox = new TagStore(server.Runtime.ImagesDir, ImageStore.Library).Resolve(Reference.Parse("busybox"))
            ?? throw new InvalidOperationException("the test image store has no library busybox");
        var name = $"q-{Environment.ProcessId % 10000}-{Guid.NewGuid().ToString("N")[..6]}";
        _machines.Add(name);
        await server.Machines.StartAsync(name, MachineLimits.Default with { DiskBytes = Disk });
        await new TagStore(server.Runtime.ImagesDir, name).TagAsync(Reference.Parse("busybox"), busybox);
        await Charge.Recomputed(name);
        server.CallerMachine = name;
        return name;
    }

    public MachineLayerCharge Charge => (MachineLayerCharge)server.Containers.Images.Charge;

    /// <summary>Bytes used on the machine's disk, as df inside shows them.</summary>
    public async Task<long> UsedAsync(string machine)
    {
        var (code, stdout, stderr) = await ShAsync(machine, "sync; df -k / | tail -n 1");
        Assert.True(code == 0, stderr);
        return long.Parse(stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]) * 1024;
    }

    public async Task<(int Code, string Out, string Err)> ShAsync(string machine, string script)
    {
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var code = await server.Machines.ExecAsync(machine, ["/bin/sh", "-c", script], stdout, stderr);
        return (code, Encoding.UTF8.GetString(stdout.ToArray()), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    /// <summary>A tar holding one file of <paramref name="mib"/> MiB of random bytes (the same for the same seed).</summary>
    public static MemoryStream RandomTar(int mib, int seed)
    {
        var data = new byte[mib * MiB];
        new Random(seed).NextBytes(data);
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "blob.bin")
            {
                DataStream = new MemoryStream(data), ModificationTime = DateTimeOffset.UnixEpoch,
            });
        tar.Position = 0;
        return tar;
    }

    public static void AssertGrew(long before, long after, long by) =>
        Assert.True(after - before >= by && after - before <= by + MiB,
            $"df inside grew by {(after - before) / (double)MiB:0.##} MiB, expected {by / (double)MiB:0.##} MiB");

    public static void AssertSame(long before, long after) =>
        Assert.True(Math.Abs(after - before) <= MiB,
            $"df inside moved by {(after - before) / (double)MiB:0.##} MiB, expected no change");

    public async ValueTask DisposeAsync()
    {
        foreach (var machine in _machines)
        {
            await server.Machines.RemoveAsync(machine);
            File.Delete(Path.Combine(server.Runtime.ImagesDir, "names", machine + ".json"));
        }
    }
}
