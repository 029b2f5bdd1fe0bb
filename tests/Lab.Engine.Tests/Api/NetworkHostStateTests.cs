using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary>Everything networks make lives in the lab machine's namespace: a whole session of user networks,
/// containers, published ports and removals leaves the host's links, routes and named namespaces as they were.</summary>
public sealed class NetworkHostStateTests(NetworkMachineFixture machine) : IClassFixture<NetworkMachineFixture>
{
    Task<CliResult> Docker(params string[] args) => machine.Docker(args);

    static async Task<string> HostStateAsync()
    {
        async Task<string> Run(params string[] args)
        {
            var start = new System.Diagnostics.ProcessStartInfo("ip") { RedirectStandardOutput = true };
            foreach (var a in args) start.ArgumentList.Add(a);
            using var process = System.Diagnostics.Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return output;
        }
        // Link names and addresses, not counters or states that the host's own traffic changes.
        var links = string.Join('\n', (await Run("-o", "link")).Split('\n').Select(l => string.Join(' ', l.Split(' ').Take(2))));
        return $"{links}\n--\n{await Run("route")}\n--\n{await Run("-o", "addr")}\n--\n{await Run("netns", "list")}";
    }

    [Fact]
    public async Task The_hosts_links_routes_and_namespaces_are_unchanged()
    {
        var before = await HostStateAsync();
        var net = NetworkMachineFixture.Unique("session");
        var web = NetworkMachineFixture.Unique("web");
        (await Docker("network", "create", net)).Succeeded();
        (await Docker("run", "-d", "--name", web, "--network", net, "-p", "80", "busybox", "httpd", "-f", "-p", "80")).Succeeded();
        (await machine.RunOnce("--network", net, "busybox", "ping", "-c1", "-W2", web)).Succeeded();
        (await Docker("network", "connect", "bridge", web)).Succeeded();
        (await Docker("rm", "-f", web)).Succeeded();
        (await Docker("network", "rm", net)).Succeeded();
        var after = await HostStateAsync();

        Assert.Equal(before, after);
    }
}
