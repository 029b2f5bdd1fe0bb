using Lab.Runtime.Images;
using Lab.Web.Hosting;
using Lab.Web.Machines;

namespace Lab.Web.Tests.Support;

/// <summary>The real lab-machine image (labs/images/lab-machine, debootstrap) in a store shared by test runs:
/// LAB_TEST_IMAGE_STORE, else &lt;repo&gt;/.cache/images, so only a changed recipe costs a rebuild.</summary>
public static class LabMachineImage
{
    public static string RepositoryRoot =>
        AppPaths.RepositoryRoot ?? throw new InvalidOperationException($"no Lab.sln above {AppContext.BaseDirectory}");

    public static string StoreDir =>
        Environment.GetEnvironmentVariable("LAB_TEST_IMAGE_STORE") is { Length: > 0 } dir
            ? dir
            : Path.Combine(RepositoryRoot, ".cache", "images");

    public static IBaseImage Create() =>
        new RecipeImage(MachinesSetup.BaseImageName, Path.Combine(RepositoryRoot, "labs", "images", MachinesSetup.BaseImageName), StoreDir);
}
