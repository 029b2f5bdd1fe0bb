using Lab.Runtime.Native;

namespace Lab.Runtime.Machines;

/// <summary>A machine's disk: a sparse ext4 image, machines/NAME/disk.img, that holds everything the machine writes
/// (its overlay's upper and work dirs), so its size is the machine's disk quota. Lab.Runtime makes and resizes it
/// while the machine is stopped and binds it to an autoclear loop device for each boot; lab-init mounts it inside
/// the machine's own mount namespace. The mount ends with that namespace and the loop device with the mount, so a
/// stop, a crash or a kill -9 of the server leave nothing mounted or bound on the host.</summary>
internal sealed class MachineDisk(string machineDir)
{
    /// <summary>Below this, ext4's own metadata would leave the machine almost nothing.</summary>
    public const long MinimumBytes = 16L << 20;

    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(10);

    public string ImagePath => Path.Combine(machineDir, "disk.img");

    /// <summary>Where lab-init mounts the disk, inside the machine's mount namespace only.</summary>
    public string MountDir => Path.Combine(machineDir, "disk");

    public string UpperDir => Path.Combine(MountDir, "upper");
    public string WorkDir => Path.Combine(MountDir, "work");

    // Machines made before disks existed kept their upper and work dirs on the host's filesystem.
    private string LegacyUpper => Path.Combine(machineDir, "upper");
    private string LegacyWork => Path.Combine(machineDir, "work");

    public string Name => Path.GetFileName(machineDir);

    /// <summary>The loop device the running machine's disk is mounted from; null when it is not mounted.</summary>
    public string? BoundDevice => LoopDevice.BoundTo(ImagePath).FirstOrDefault();

    public static void Validate(MachineLimits limits)
    {
        if (limits.DiskBytes < MinimumBytes)
            throw new LabException(ErrorKind.InvalidParameter,
                $"a machine's disk needs at least {MinimumBytes >> 20} MiB (asked for {limits.DiskBytes} bytes)");
    }

    /// <summary>Before a boot: the previous boot's mount is gone (two mounts of one ext4 image would corrupt it),
    /// the image exists at <paramref name="bytes"/>, and files of a machine from before disks are moved onto it.</summary>
    public async Task PrepareAsync(long bytes, CancellationToken ct)
    {
        await WaitReleasedAsync(ct);
        Directory.CreateDirectory(MountDir);
        if (!File.Exists(ImagePath))
            await CreateAsync(bytes, ct);
        else if (new FileInfo(ImagePath).Length != bytes)
            await ResizeAsync(bytes, ct);
        DeleteLegacyDirs(); // after a crash between the image's rename and this, the copy is already in the image
    }

    public LoopDevice Attach() => LoopDevice.Attach(ImagePath);

    /// <summary>Waits until no loop device is bound to the image: the kernel tears a dead machine's mounts down
    /// just after its last process exits.</summary>
    public async Task WaitReleasedAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + ReleaseTimeout;
        IReadOnlyList<string> bound;
        for (int polls = 0; (bound = LoopDevice.BoundTo(ImagePath)).Count > 0; polls++)
        {
            if (DateTime.UtcNow > deadline)
                throw new LabException(ErrorKind.Unavailable,
                    $"machine '{Name}': its disk is still in use by {string.Join(", ", bound)} after {ReleaseTimeout.TotalSeconds} s");
            // Usually a few milliseconds (unmount, flush, unbind): poll closely at first, then back off.
            await Task.Delay(polls < 20 ? 1 : 10, ct);
        }
    }

    /// <summary>Sparse image, ext4 made in it, renamed into place only when complete (with the old files copied
    /// in, if any): a crash half-way leaves no half-made disk.</summary>
    private async Task CreateAsync(long bytes, CancellationToken ct)
    {
        var temp = ImagePath + ".new";
        File.Delete(temp);
        using (var file = new FileStream(temp, new FileStreamOptions
               {
                   Mode = FileMode.CreateNew, Access = FileAccess.Write,
                   UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
               }))
            file.SetLength(bytes);
        // Lazy init: a fresh sparse file already reads as zeros, so neither mkfs nor the kernel need to zero the
        // inode tables or the journal. -m 0: the machine's root may use every block (nothing else writes here).
        // No resize_inode (blocks reserved for growing while mounted): we only resize offline, and without it mkfs
        // takes half the time and the new image 180 KiB instead of 2 MiB.
        await SystemTool.RunCheckedAsync("mkfs.ext4",
            ["-q", "-F", "-E", "lazy_itable_init=1,lazy_journal_init=1", "-m", "0", "-O", "^resize_inode", temp], ct);
        if (Directory.Exists(LegacyUpper)) await CopyLegacyFilesAsync(temp, bytes, ct);
        File.Move(temp, ImagePath);
    }

    /// <summary>Copies the old upper dir (whiteouts, opaque-dir xattrs and all: cp -a) onto the new disk, mounted
    /// in a private mount namespace of the copying process only, so nothing stays mounted if it is killed.</summary>
    private async Task CopyLegacyFilesAsync(string image, long bytes, CancellationToken ct)
    {
        using var loop = LoopDevice.Attach(image);
        var (code, output) = await SystemTool.RunAsync("unshare",
        [
            "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
            "mount -t ext4 \"$1\" \"$2\" && mkdir -m 0755 \"$2/upper\" && cp -a \"$3/.\" \"$2/upper/\"",
            "copy-legacy", loop.Path, MountDir, LegacyUpper,
        ], ct);
        if (code != 0)
        {
            File.Delete(image);
            var kind = output.Contains("No space left") ? ErrorKind.Conflict : ErrorKind.Internal;
            throw new LabException(kind,
                $"machine '{Name}': its files could not be copied onto its new {bytes >> 20} MiB disk: {output}");
        }
    }

    private void DeleteLegacyDirs()
    {
        if (Directory.Exists(LegacyUpper)) Directory.Delete(LegacyUpper, recursive: true);
        if (Directory.Exists(LegacyWork)) Directory.Delete(LegacyWork, recursive: true);
    }

    /// <summary>Offline resize after a check (resize2fs requires one): grow the file then the filesystem, or shrink
    /// the filesystem then the file. A shrink below what the files need is refused and changes nothing.</summary>
    private async Task ResizeAsync(long bytes, CancellationToken ct)
    {
        // e2fsck -p repairs what is safe to repair unattended; 1 and 2 mean it did.
        await SystemTool.RunCheckedAsync("e2fsck", ["-f", "-p", ImagePath], ct, 0, 1, 2);
        long current = new FileInfo(ImagePath).Length;
        if (bytes > current)
        {
            SetLength(bytes);
            try { await SystemTool.RunCheckedAsync("resize2fs", [ImagePath], ct); }
            catch
            {
                SetLength(current); // else the next start would take the longer file for a grown filesystem
                throw;
            }
            return;
        }
        var (code, output) = await SystemTool.RunAsync("resize2fs", [ImagePath, $"{bytes / 1024}K"], ct);
        if (code != 0)
            throw new LabException(ErrorKind.Conflict,
                $"machine '{Name}': its disk cannot shrink to {bytes >> 20} MiB (its files need more); it stays " +
                $"{current >> 20} MiB: {output}");
        SetLength(bytes);
    }

    private void SetLength(long bytes)
    {
        using var file = new FileStream(ImagePath, FileMode.Open, FileAccess.Write);
        file.SetLength(bytes);
    }
}
