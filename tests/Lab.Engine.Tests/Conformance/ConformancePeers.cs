using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Conformance;

/// <summary>Debian's dockerd (private: own roots, no bridge, no iptables) and a real Lab machine, both holding the
/// very same busybox image: Lab saves it, dockerd loads that archive, so image ids and histories are equal.
/// Booted once for all the scripts; <see cref="ResetAsync"/> empties both before each one.</summary>
public sealed class ConformancePeers : IAsyncLifetime
{
    PrivateDockerd _dockerd = null!;
    EngineTestServer _lab = null!;

    public CliPeer Dockerd { get; private set; } = null!;
    public CliPeer Lab { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _lab = await EngineTestServer.StartAsync(sharedImageStore: true);
        await _lab.StartMachineAsync();
        _dockerd = await PrivateDockerd.StartAsync(ownNetwork: true);
        Dockerd = new CliPeer("dockerd", _dockerd.Socket, _lab.Root);
        Lab = new CliPeer("lab", _lab.SocketPath, _lab.Root);
        Dockerd.ResetDir();
        Lab.ResetDir();

        var archive = Path.Combine(_lab.Root, "busybox.tar");
        await Must(Lab, "save", "-o", archive, "busybox");
        await Must(Dockerd, "load", "-i", archive);
        var api = (await Must(Dockerd, "version", "--format", "{{.Server.APIVersion}}")).Stdout.Trim();
        Dockerd.ApiVersion = api;
        Lab.ApiVersion = api;
    }

    public async Task DisposeAsync()
    {
        await _dockerd.DisposeAsync();
        await _lab.DisposeAsync();
    }

    /// <summary>Removes every container, volume, custom network and image but busybox, on both sides.</summary>
    public async Task ResetAsync()
    {
        foreach (var peer in new[] { Dockerd, Lab })
        {
            peer.ResetDir();
            foreach (var id in await Lines(peer, "ps", "-aq")) await Must(peer, "rm", "-f", "-v", id);
            foreach (var name in await Lines(peer, "volume", "ls", "-q")) await Must(peer, "volume", "rm", "-f", name);
            foreach (var id in await Lines(peer, "network", "ls", "-q", "--filter", "type=custom")) await Must(peer, "network", "rm", id);
            foreach (var image in await Lines(peer, "images", "--format", "{{.ID}} {{.Repository}}:{{.Tag}}"))
            {
                var (id, reference) = (image.Split(' ')[0], image.Split(' ')[1]);
                if (reference != "busybox:latest") await Must(peer, "rmi", "-f", reference.Contains("<none>") ? id : reference);
            }
        }
    }

    static async Task<string[]> Lines(CliPeer peer, params string[] args) =>
        (await Must(peer, args)).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    static async Task<CliResult> Must(CliPeer peer, params string[] args)
    {
        var result = await peer.RunAsync(DockerCli.Cli28, args);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{peer.Name}: docker {string.Join(' ', args)}: exit {result.ExitCode}: {result.Stderr}");
        return result;
    }
}
