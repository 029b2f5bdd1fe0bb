using System.Formats.Tar;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Machines;
using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Machines;

/// <summary>The charge against a real machine's 64 MiB disk, without the Engine: names given through the store's
/// TagStore reserve first, the charge follows the machine across a stop and a start (recomputed from its names,
/// even ones changed while it was down), and removing the machine leaves nothing.</summary>
public sealed class MachineLayerChargeTests(MachineFixture fx) : IClassFixture<MachineFixture>, IDisposable
{
    const long MiB = 1L << 20;

    readonly string _storeDir = Directory.CreateTempSubdirectory(StaleTestState.OwnPrefix + "charge-store-").FullName;

    public void Dispose() => Directory.Delete(_storeDir, recursive: true);

    async Task<LocalImage> ImageAsync(ImageStore store, int mib, int seed)
    {
        var data = new byte[mib * MiB];
        new Random(seed).NextBytes(data);
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "blob") { DataStream = new MemoryStream(data) });
        tar.Position = 0;
        return await store.CreateChildAsync(null, tar, new ContainerConfig(), new HistoryEntry { CreatedBy = $"{mib} MiB" });
    }

    async Task<long> UsedAsync(string machine)
    {
        var (code, stdout, stderr) = await fx.Sh(machine, "sync; df -k / | tail -n 1");
        Assert.True(code == 0, stderr);
        return long.Parse(stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]) * 1024;
    }

    static void AssertGrew(long before, long after, long by) =>
        Assert.True(after - before >= by && after - before <= by + MiB,
            $"df inside grew by {(after - before) / (double)MiB:0.##} MiB, expected {by / (double)MiB:0.##} MiB");

    [Fact]
    public async Task A_name_too_large_for_the_disk_is_refused_and_a_restart_recomputes_the_charge()
    {
        var machine = fx.NewName("charge");
        var store = new ImageStore(_storeDir);
        var charge = MachineLayerCharge.Attach(fx.Host, store);
        await fx.Host.StartAsync(machine, new MachineLimits { DiskBytes = MachineDiskTests.SmallDisk });
        await charge.Recomputed(machine);
        var before = await UsedAsync(machine);
        var (small, huge) = (await ImageAsync(store, 10, 1), await ImageAsync(store, 70, 2));

        await store.Names(machine).TagAsync(Reference.Parse("small"), small.Target);
        AssertGrew(before, await UsedAsync(machine), 10 * MiB);
        var refused = await Assert.ThrowsAsync<LabException>(() => store.Names(machine).TagAsync(Reference.Parse("huge"), huge.Target));
        Assert.Equal(ErrorKind.Conflict, refused.Kind);
        Assert.Contains("disk quota (64 MiB)", refused.Message);
        Assert.Null(store.Names(machine).Resolve(Reference.Parse("huge")));
        AssertGrew(before, await UsedAsync(machine), 10 * MiB);

        // While the machine is down its names change behind the charge's back; the next boot recomputes it.
        await fx.Host.StopAsync(machine);
        await new TagStore(_storeDir, machine).UntagAsync(Reference.Parse("small"));
        await fx.Host.StartAsync(machine);
        await charge.Recomputed(machine);
        Assert.InRange(await UsedAsync(machine) - before, -MiB, MiB);

        // Removing the machine removes its disk, charge and all.
        await fx.Host.RemoveAsync(machine);
        Assert.False(Directory.Exists(Path.Combine(fx.Host.Options.MachinesDir, machine)));
    }
}
