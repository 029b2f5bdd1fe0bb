using Lab.Courses.Exercises.Checks;
using Lab.Courses.Grading;
using Lab.Runtime.Containers;
using Lab.Runtime.Images.Oci;
using Lab.Testing;

namespace Lab.Courses.Tests.Grading;

/// <summary>What the runtime-facts test classes share: a ContainerHost on the fixture's machine, busybox tagged in
/// the machine's namespace of the shared test image store (untagged afterwards), and checks evaluated against
/// the real runtime through <see cref="RuntimeContainerFacts"/>.</summary>
public abstract class RuntimeFactsTest(LabMachineFixture fx) : IAsyncLifetime
{
    protected string Machine => fx.Machine;

    protected ImageStore Images { get; private set; } = null!;

    protected ContainerHost Containers { get; private set; } = null!;

    protected LabMachineState State => new(fx.Host, fx.Machine, () => [], new RuntimeContainerFacts(Containers));

    /// <summary>The busybox image's config as the test class wants it.</summary>
    protected virtual ContainerConfig BusyboxConfig => new() { Env = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], Cmd = ["sh"] };

    public async Task InitializeAsync()
    {
        Images = new ImageStore(TestImages.StoreDir);
        Containers = new ContainerHost(fx.Host, Images);
        var manifest = await RecipeImageConverter.ToOciImageAsync(TestImages.Recipe("busybox"), BusyboxConfig, Images.Content);
        await Images.Names(fx.Machine).TagAsync(Reference.Parse("busybox"), manifest);
    }

    public Task DisposeAsync()
    {
        Containers.Dispose();
        File.Delete(Path.Combine(Images.Root, "names", fx.Machine + ".json"));
        return Task.CompletedTask;
    }

    protected async Task<CheckVerdict> EvaluateAsync(Check check) => await CheckEvaluator.EvaluateAsync(check, State, CancellationToken.None);
}
