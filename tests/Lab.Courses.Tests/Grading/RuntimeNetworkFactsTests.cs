using Lab.Courses.Exercises.Checks;
using Lab.Courses.Grading;
using Lab.Runtime.Containers;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Networks;
using Lab.Testing;

namespace Lab.Courses.Tests.Grading;

/// <summary>Network checks read the runtime's real networks: user-defined ones with the containers configured on
/// them, and the predefined ones.</summary>
public sealed class RuntimeNetworkFactsTests(LabMachineFixture fx) : IClassFixture<LabMachineFixture>, IAsyncLifetime
{
    private ImageStore images = null!;
    private ContainerHost containers = null!;

    private LabMachineState State => new(fx.Host, fx.Machine, () => [], new RuntimeContainerFacts(containers));

    public async Task InitializeAsync()
    {
        images = new ImageStore(TestImages.StoreDir);
        containers = new ContainerHost(fx.Host, images);
        var config = new ContainerConfig { Env = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], Cmd = ["sh"] };
        var manifest = await RecipeImageConverter.ToOciImageAsync(TestImages.Recipe("busybox"), config, images.Content);
        await images.Names(fx.Machine).TagAsync(Reference.Parse("busybox"), manifest);
    }

    public Task DisposeAsync()
    {
        containers.Dispose();
        File.Delete(Path.Combine(images.Root, "names", fx.Machine + ".json"));
        return Task.CompletedTask;
    }

    private async Task<CheckVerdict> EvaluateAsync(Check check) => await CheckEvaluator.EvaluateAsync(check, State, CancellationToken.None);

    [Fact]
    public async Task Network_checks_see_user_networks_and_their_containers()
    {
        var name = $"reseau-{Guid.NewGuid().ToString("N")[..6]}";
        Assert.False((await EvaluateAsync(new NetworkCheck(name))).Passed);

        await containers.Networking.CreateAsync(fx.Machine, new NetworkCreateRequest { Name = name });
        var api = await containers.CreateAsync(fx.Machine, new ContainerSpec { Image = "busybox", Name = $"api-{name}", NetworkMode = name });
        var other = await containers.CreateAsync(fx.Machine, new ContainerSpec { Image = "busybox", Name = $"other-{name}" });
        try
        {
            Assert.True((await EvaluateAsync(new NetworkCheck(name) { Driver = "bridge", Containers = [api.Name] })).Passed);
            Assert.Contains($"container '{other.Name}' is not connected", (await EvaluateAsync(new NetworkCheck(name) { Containers = [other.Name] })).Detail);
            Assert.True((await EvaluateAsync(new NetworkCheck("bridge") { Containers = [other.Name] })).Passed);
            Assert.True((await EvaluateAsync(new NetworkCheck("none") { Driver = "null" })).Passed);
        }
        finally
        {
            await containers.RemoveAsync(fx.Machine, api.Id);
            await containers.RemoveAsync(fx.Machine, other.Id);
            await containers.Networking.RemoveAsync(fx.Machine, name);
        }
    }
}
