using Lab.Runtime.Images;

namespace Lab.Testing;

/// <summary>The repository's base images for tests, built once into a store that outlives a test run
/// (<c>LAB_TEST_IMAGE_STORE</c>, else <c>&lt;repo&gt;/.cache/images</c>) so only a changed recipe costs a
/// rebuild. Tests that need a store of their own (build behaviour) make a <see cref="RecipeImage"/> themselves.</summary>
public static class TestImages
{
    static readonly Lazy<string> RepoRootLazy = new(FindRepoRoot);

    /// <summary>The checkout's root: the nearest folder above the test binaries holding Lab.sln.</summary>
    public static string RepoRoot => RepoRootLazy.Value;

    public static string RecipesDir => Path.Combine(RepoRoot, "labs", "images");

    public static string StoreDir =>
        Environment.GetEnvironmentVariable("LAB_TEST_IMAGE_STORE") is { Length: > 0 } dir
            ? dir
            : Path.Combine(RepoRoot, ".cache", "images");

    /// <summary>Tiny busybox-static rootfs: fast to build and boot, for runtime tests and benchmarks.</summary>
    public static IBaseImage Busybox { get; } = new LazyImage("busybox");

    /// <summary>The students' Debian image (debootstrap; slow on the first build, a few minutes).</summary>
    public static IBaseImage LabMachine { get; } = new LazyImage("lab-machine");

    public static RecipeImage Recipe(string name) => new(name, Path.Combine(RecipesDir, name), StoreDir);

    static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Lab.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no Lab.sln above {AppContext.BaseDirectory}");
    }

    // Resolves the repo root on first use, not at type load, so a misplaced test binary fails the test that
    // needs an image with a clear message instead of every test in the class with a TypeInitializationException.
    sealed class LazyImage(string name) : IBaseImage
    {
        readonly Lazy<RecipeImage> _image = new(() => Recipe(name));
        public string Name => name;

        public Task<string> EnsureBuiltAsync(IProgress<string>? progress = null, CancellationToken ct = default) =>
            _image.Value.EnsureBuiltAsync(progress, ct);
    }
}
