using Lab.Courses.Exercises.Checks;
using Lab.Courses.Grading;
using Lab.Runtime.Containers;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Networks;
using Lab.Testing;

namespace Lab.Courses.Tests.Grading;

/// <summary>Network checks read the runtime's real networks: user-defined ones with the containers configured on
/// them, and the predefined ones.</summary>
public sealed class RuntimeNetworkFactsTests(LabMachineFixture fx) : RuntimeFactsTest(fx), IClassFixture<LabMachineFixture>
{
    [Fact]
    public async Task Network_checks_see_user_networks_and_their_containers()
    {
        var name = $"reseau-{Guid.NewGuid().ToString("N")[..6]}";
        Assert.False((await EvaluateAsync(new NetworkCheck(name))).Passed);

        await Containers.Networking.CreateAsync(Machine, new NetworkCreateRequest { Name = name });
        var api = await Containers.CreateAsync(Machine, new ContainerSpec { Image = "busybox", Name = $"api-{name}", NetworkMode = name });
        var other = await Containers.CreateAsync(Machine, new ContainerSpec { Image = "busybox", Name = $"other-{name}" });
        try
        {
            Assert.True((await EvaluateAsync(new NetworkCheck(name) { Driver = "bridge", Containers = [api.Name] })).Passed);
            Assert.Contains($"container '{other.Name}' is not connected", (await EvaluateAsync(new NetworkCheck(name) { Containers = [other.Name] })).Detail);
            Assert.True((await EvaluateAsync(new NetworkCheck("bridge") { Containers = [other.Name] })).Passed);
            Assert.True((await EvaluateAsync(new NetworkCheck("none") { Driver = "null" })).Passed);
        }
        finally
        {
            await Containers.RemoveAsync(Machine, api.Id);
            await Containers.RemoveAsync(Machine, other.Id);
            await Containers.Networking.RemoveAsync(Machine, name);
        }
    }
}
