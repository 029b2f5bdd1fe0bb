using System.Diagnostics;
using System.Security.Cryptography;
using Lab.Runtime.Images;
using Lab.Runtime.Tests.Support;

namespace Lab.Runtime.Tests.Images;

public sealed class RecipeImageTests : IDisposable
{
    readonly ImageTestDir _dir = new();
    string Store => _dir.Combine("store");
    string BusyboxRecipe => Path.Combine(TestImages.RecipesDir, "busybox");

    string[] Logs() => Directory.Exists(Path.Combine(Store, "logs")) ? Directory.GetFiles(Path.Combine(Store, "logs")) : [];

    [Fact]
    public async Task Building_busybox_gives_a_root_owned_layer_named_by_its_digest()
    {
        var image = new RecipeImage("busybox", BusyboxRecipe, Store);

        var layer = await image.EnsureBuiltAsync();

        var record = ImageRecord.TryLoad(Path.Combine(Store, "images", "busybox.json"))!;
        Assert.Equal(RecipeHash.Compute(BusyboxRecipe), record.RecipeHash);
        Assert.Equal(Path.Combine(Store, "layers", "sha256", record.Layer["sha256:".Length..]), layer);
        Assert.True(File.Exists(Path.Combine(layer, "bin", "busybox")));
        Assert.Equal("/bin/busybox", new FileInfo(Path.Combine(layer, "bin", "sh")).LinkTarget);
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(layer));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Store, "tmp")));
    }

    [Fact]
    public async Task An_unchanged_recipe_is_not_rebuilt()
    {
        var image = new RecipeImage("busybox", BusyboxRecipe, Store);
        var first = await image.EnsureBuiltAsync();
        var logsAfterFirst = Logs();

        var clock = Stopwatch.StartNew();
        var second = await new RecipeImage("busybox", BusyboxRecipe, Store).EnsureBuiltAsync();

        Assert.Equal(first, second);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(500), $"no-op took {clock.Elapsed}");
        Assert.Equal(logsAfterFirst, Logs());
    }

    [Fact]
    public async Task A_changed_recipe_is_rebuilt_into_a_new_layer_and_the_old_one_stays()
    {
        var recipe = _dir.CopyRecipe("busybox");
        var image = new RecipeImage("busybox", recipe, Store);
        var before = await image.EnsureBuiltAsync();

        File.AppendAllText(Path.Combine(recipe, "build"), "echo 'Bienvenue' > \"$ROOTFS/etc/motd\"\n");
        var after = await image.EnsureBuiltAsync();

        Assert.NotEqual(before, after);
        Assert.Equal("Bienvenue\n", File.ReadAllText(Path.Combine(after, "etc", "motd")));
        Assert.False(File.Exists(Path.Combine(before, "etc", "motd")));
        Assert.Equal(2, Logs().Length);
    }

    [Fact]
    public async Task A_failing_build_names_its_last_step_and_keeps_the_log()
    {
        var recipe = _dir.WriteRecipe("broken", "echo '==> prepare'\necho '==> fetching'\necho 'mirror unreachable' >&2\nexit 1\n");
        var image = new RecipeImage("broken", recipe, Store);

        var error = await Assert.ThrowsAsync<ImageBuildException>(() => image.EnsureBuiltAsync());

        Assert.Equal("fetching", error.Step);
        Assert.Equal("broken", error.Image);
        Assert.Contains("fetching", error.Message);
        Assert.Contains(error.LogPath, error.Message);
        var log = File.ReadAllText(error.LogPath);
        Assert.Contains("==> fetching", log);
        Assert.Contains("mirror unreachable", log);
        Assert.False(File.Exists(Path.Combine(Store, "images", "broken.json")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Store, "tmp")));
    }

    [Fact]
    public async Task A_build_failing_before_any_step_is_reported_at_the_script()
    {
        var image = new RecipeImage("broken", _dir.WriteRecipe("broken", "false\n"), Store);

        var error = await Assert.ThrowsAsync<ImageBuildException>(() => image.EnsureBuiltAsync());

        Assert.Equal("build", error.Step);
    }

    [Fact]
    public async Task The_layer_blob_is_a_tar_whose_sha256_is_its_file_name()
    {
        await new RecipeImage("busybox", BusyboxRecipe, Store).EnsureBuiltAsync();
        var record = ImageRecord.TryLoad(Path.Combine(Store, "images", "busybox.json"))!;

        var blob = Assert.Single(Directory.GetFiles(Path.Combine(Store, "blobs", "sha256")));
        await using var contents = File.OpenRead(blob);
        var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(contents));

        Assert.Equal(Path.GetFileName(blob), actual);
        Assert.Equal("sha256:" + actual, record.Layer);
        Assert.Equal(new FileInfo(blob).Length, record.Size);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Store, "ingest")));
    }

    [Fact]
    public async Task Concurrent_builds_of_one_image_build_it_once()
    {
        // A recipe slow enough that the second caller surely arrives while the first one builds.
        var recipe = _dir.WriteRecipe("slow", "echo '==> wait'\nsleep 1\nmkdir -p \"$ROOTFS/etc\"\necho ok > \"$ROOTFS/etc/ok\"\n");
        var waiting = new ProgressLines();

        var layers = await Task.WhenAll(
            new RecipeImage("slow", recipe, Store).EnsureBuiltAsync(),
            Task.Delay(200).ContinueWith(_ => new RecipeImage("slow", recipe, Store).EnsureBuiltAsync(waiting)).Unwrap());

        Assert.Equal(layers[0], layers[1]);
        Assert.Single(Logs());
        Assert.Contains(waiting.Lines, l => l.Contains("waiting for another build"));
    }

    [Fact]
    public async Task A_cancelled_build_kills_the_script_and_leaves_nothing_behind()
    {
        var pidFile = _dir.Combine("sleep.pid");
        var recipe = _dir.WriteRecipe("stuck", $"sleep 30 &\necho $! > '{pidFile}'\necho '==> hang'\nwait\n");
        using var cancel = new CancellationTokenSource();
        var progress = new CancelOnLine("==> hang", cancel);

        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new RecipeImage("stuck", recipe, Store).EnsureBuiltAsync(progress, cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"cancel took {clock.Elapsed}");
        Assert.False(File.Exists(Path.Combine(Store, "images", "stuck.json")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(Store, "tmp")));
        var sleep = $"/proc/{File.ReadAllText(pidFile).Trim()}";
        for (var i = 0; i < 50 && IsAlive(sleep); i++) await Task.Delay(100);
        Assert.False(IsAlive(sleep), "the build script's child outlived the cancellation");
    }

    // A killed process may linger a moment as a zombie until its new parent reaps it.
    static bool IsAlive(string procDir)
    {
        try { return File.ReadAllText(Path.Combine(procDir, "stat")).Split(") ")[1][0] != 'Z'; }
        catch (IOException) { return false; }
    }

    sealed class CancelOnLine(string line, CancellationTokenSource cancel) : IProgress<string>
    {
        public void Report(string value) { if (value == line) cancel.Cancel(); }
    }

    [Fact]
    public async Task Build_output_is_reported_as_progress_line_by_line()
    {
        var progress = new ProgressLines();

        await new RecipeImage("busybox", BusyboxRecipe, Store).EnsureBuiltAsync(progress);

        Assert.Contains("==> install busybox applets", progress.Lines);
        Assert.Contains(progress.Lines, l => l.StartsWith("image 'busybox' ready: sha256:"));
    }

    [Fact]
    public async Task Scratch_dirs_left_by_a_crashed_build_are_removed_by_the_next_build()
    {
        var leftover = Directory.CreateDirectory(Path.Combine(Store, "tmp", "busybox-crashed", "rootfs", "etc")).FullName;

        await new RecipeImage("busybox", BusyboxRecipe, Store).EnsureBuiltAsync();

        Assert.False(Directory.Exists(leftover));
    }

    [Fact]
    public async Task A_recipe_without_build_script_is_not_found()
    {
        var empty = Directory.CreateDirectory(_dir.Combine("recipes", "empty")).FullName;

        var error = await Assert.ThrowsAsync<LabException>(() => new RecipeImage("empty", empty, Store).EnsureBuiltAsync());

        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("Busybox")]
    [InlineData("")]
    public void Image_names_that_could_escape_the_store_are_refused(string name)
    {
        var error = Assert.Throws<LabException>(() => new RecipeImage(name, BusyboxRecipe, Store));

        Assert.Equal(ErrorKind.InvalidParameter, error.Kind);
    }

    public void Dispose() => _dir.Dispose();
}
