using Lab.Runtime.Images;
using Lab.Web.Hosting;
using Lab.Web.Machines;

namespace Lab.Web.Tests.Support;

/// <summary>The repository's base image recipes (labs/images), built into a store shared by test runs —
/// LAB_TEST_IMAGE_STORE, else &lt;repo&gt;/.cache/images, as the runtime's tests do — so only a changed recipe
/// costs a rebuild.</summary>
public static class TestImages
{
    private static readonly Lazy<RecipeImage> BusyboxImage = new(() => Recipe("busybox"));
    private static readonly Lazy<RecipeImage> LabMachineImage = new(() => Recipe(MachinesSetup.BaseImageName));

    public static string RepositoryRoot =>
        AppPaths.RepositoryRoot ?? throw new InvalidOperationException($"no Lab.sln above {AppContext.BaseDirectory}");

    public static string StoreDir =>
        Environment.GetEnvironmentVariable("LAB_TEST_IMAGE_STORE") is { Length: > 0 } dir
            ? dir
            : Path.Combine(RepositoryRoot, ".cache", "images");

    /// <summary>busybox-static: boots in milliseconds; enough for a shell, exec and the terminal.</summary>
    public static IBaseImage Busybox => BusyboxImage.Value;

    /// <summary>The students' Debian image (debootstrap: minutes on its first build).</summary>
    public static IBaseImage LabMachine => LabMachineImage.Value;

    private static RecipeImage Recipe(string name) => new(name, Path.Combine(RepositoryRoot, "labs", "images", name), StoreDir);
}
