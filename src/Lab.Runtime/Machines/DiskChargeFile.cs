using Lab.Runtime.Native;

namespace Lab.Runtime.Machines;

/// <summary>The file at the root of a running machine's disk (beside upper/, work/ and lab/, so no path inside the
/// machine reaches it) whose allocated blocks stand for the machine's private image layers: its length is kept
/// equal to their size with fallocate, so the blocks are really taken, <c>df</c> inside counts them, and the
/// machine's own writes meet ENOSPC that much earlier.
///
/// The disk is mounted only in the machine's mount namespace, and its root is not visible even there; a helper
/// mounts the same loop device a second time (the kernel shares the one ext4 superblock between both mounts) in a
/// private mount namespace of its own, resizes the file and exits, which unmounts it: nothing stays mounted on the
/// host, even if the server is killed meanwhile.</summary>
internal sealed class DiskChargeFile(MachineDisk disk)
{
    public const string Name = "image-layers.charge";

    /// <summary>Exit code of the script when the disk has no room (ENOSPC).</summary>
    private const int NoSpace = 28;

    /// <summary>Exit code of the script when the device was no longer this machine's disk (it stopped meanwhile).</summary>
    private const int NotThisDisk = 3;

    // $1 device, $2 mount dir, $3 disk image, $4 bytes. The device is checked after the mount (which pins it to its
    // backing file) to be this machine's image: a machine that stopped meanwhile may have left the number to another.
    // Growing: truncate up, then fallocate; when that fails half-way, truncating back frees what it got.
    private const string Script = """
        set -e
        mount -t ext4 -o nosuid,nodev,noexec "$1" "$2"
        backing=$(cat "/sys/block/${1#/dev/}/loop/backing_file")
        [ "$(stat -L -c %d:%i "$backing")" = "$(stat -L -c %d:%i "$3")" ] || exit 3
        f="$2/image-layers.charge"
        old=$(stat -c %s "$f" 2>/dev/null || echo 0)
        if [ "$4" -le "$old" ]; then truncate -s "$4" "$f"; exit 0; fi
        truncate -s "$4" "$f"
        if ! fallocate -l "$4" "$f"; then truncate -s "$old" "$f"; exit 28; fi
        """;

    /// <summary>Sets the file's length and allocation to <paramref name="bytes"/>. False when the disk has not the
    /// room (the file is left as it was); null when the machine's disk is not mounted (it is not running).</summary>
    public async Task<bool?> ResizeAsync(long bytes, CancellationToken ct)
    {
        if (disk.BoundDevice is not { } device) return null;
        var (code, output) = await SystemTool.RunAsync("unshare",
        [
            "--mount", "--propagation", "private", "--", "/bin/sh", "-c", Script,
            "charge", device, disk.MountDir, disk.ImagePath, bytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ], ct);
        return code switch
        {
            0 => true,
            NoSpace => false,
            NotThisDisk => null,
            // The machine stopped between the look-up and the mount: its charge is recomputed when it starts.
            _ when disk.BoundDevice is null => null,
            _ => throw new LabException(ErrorKind.Internal,
                $"the image layers' charge on the disk of machine '{disk.Name}' could not be set to {bytes} bytes: {output}"),
        };
    }
}
