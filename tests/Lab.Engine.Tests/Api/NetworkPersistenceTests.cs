using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary>User networks are the machine's: they survive its stop and start, and their bridges are made again in
/// its new network namespace.</summary>
public sealed class NetworkPersistenceTests : IAsyncLifetime
{
    readonly NetworkMachineFixture _machine = new();

    public Task InitializeAsync() => _machine.InitializeAsync();

    public Task DisposeAsync() => _machine.DisposeAsync();

    [Fact]
    public async Task A_network_survives_a_reboot_of_the_machine_and_still_resolves_names()
    {
        var server = _machine.Server;
        var name = server.CallerMachine!;
        (await _machine.Docker("network", "create", "--subnet", "10.77.0.0/24", "kept")).Succeeded();
        var id = (await _machine.Docker("network", "inspect", "-f", "{{.Id}}", "kept")).Succeeded().Stdout.Trim();

        await server.Machines.StopAsync(name);
        await server.Machines.StartAsync(name);
        string links = "";
        for (int i = 0; i < 50 && !links.Contains("br-" + id[..12]); i++)
        {
            await Task.Delay(100);
            using var output = new MemoryStream();
            await server.Machines.ExecAsync(name, ["ip", "-o", "link"], output, Stream.Null);
            links = System.Text.Encoding.UTF8.GetString(output.ToArray());
        }
        (await _machine.Docker("run", "-d", "--name", "db", "--network", "kept", "busybox", "sleep", "60")).Succeeded();
        var ping = await _machine.RunOnce("--network", "kept", "busybox", "ping", "-c1", "-W2", "db");

        Assert.Contains("br-" + id[..12], links);
        Assert.Equal(id, (await _machine.Docker("network", "inspect", "-f", "{{.Id}}", "kept")).Succeeded().Stdout.Trim());
        ping.Succeeded();
        Assert.Contains("10.77.0.", ping.Stdout);
    }
}
