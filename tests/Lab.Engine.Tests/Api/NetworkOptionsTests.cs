using Lab.Engine.Tests.Support;

namespace Lab.Engine.Tests.Api;

/// <summary>The per-container network options through the real CLI: --link (hosts entry and the legacy variables),
/// --add-host (host-gateway too), --hostname, --dns*, --network none / container:NAME, and the files dockerd writes.</summary>
public sealed class NetworkOptionsTests(NetworkMachineFixture machine) : IClassFixture<NetworkMachineFixture>
{
    Task<CliResult> Docker(params string[] args) => machine.Docker(args);

    [Fact]
    public async Task Link_writes_a_hosts_entry_and_the_legacy_variables()
    {
        var db = NetworkMachineFixture.Unique("db");
        (await Docker("run", "-d", "--name", db, "-p", "5432", "-e", "SECRET=s3", "busybox", "sleep", "60")).Succeeded();
        var ip = (await Docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", db)).Succeeded().Stdout.Trim();
        var id = (await Docker("inspect", "-f", "{{.Id}}", db)).Succeeded().Stdout.Trim()[..12];
        var web = NetworkMachineFixture.Unique("web");

        var result = (await Docker("run", "--name", web, "--link", $"{db}:database", "busybox", "sh", "-c",
            "env | grep ^DATABASE_ | sort; cat /etc/hosts; ping -c1 -W2 database >/dev/null && echo reached")).Succeeded().Stdout;
        var links = (await Docker("inspect", "-f", "{{json .HostConfig.Links}}", web)).Succeeded().Stdout.Trim();

        Assert.Contains($"DATABASE_NAME=/{web}/database\n", result);
        Assert.Contains("DATABASE_ENV_SECRET=s3\n", result);
        Assert.Contains($"DATABASE_PORT=tcp://{ip}:5432\n", result);
        Assert.Contains($"DATABASE_PORT_5432_TCP_ADDR={ip}\n", result);
        Assert.Contains("DATABASE_PORT_5432_TCP_PROTO=tcp\n", result);
        Assert.Contains($"{ip}\tdatabase {id} {db}\n", result);
        Assert.EndsWith("reached\n", result);
        Assert.Equal($"[\"/{db}:/{web}/database\"]", links);
        (await Docker("rm", "-f", db, web)).Succeeded();
    }

    [Fact]
    public async Task Add_host_hostname_and_dns_options_shape_the_containers_files()
    {
        var result = (await machine.RunOnce("--hostname", "myhost", "--add-host", "db.local:10.1.2.3", "--add-host", "gw:host-gateway",
            "--dns", "10.0.0.53", "--dns-search", "example.org", "--dns-option", "ndots:2", "busybox", "sh", "-c",
            "cat /etc/hosts; echo ---; cat /etc/hostname; hostname; echo ---; grep -v '^#' /etc/resolv.conf")).Succeeded().Stdout;
        var parts = result.Split("---\n");

        Assert.StartsWith("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n", parts[0]);
        Assert.Contains("10.1.2.3\tdb.local\n172.17.0.1\tgw\n", parts[0]);
        Assert.Matches(@"\n172\.17\.\d+\.\d+\tmyhost\n$", parts[0]);
        Assert.Equal("myhost\nmyhost\n", parts[1]);
        Assert.Equal("\nnameserver 10.0.0.53\nsearch example.org\noptions ndots:2\n", parts[2]);
    }

    [Fact]
    public async Task Network_none_has_only_the_loopback()
    {
        var links = (await machine.RunOnce("--network", "none", "busybox", "ip", "-o", "link")).Succeeded().Stdout.Trim().Split('\n');
        var c = NetworkMachineFixture.Unique("isolated");
        (await Docker("create", "--name", c, "--network", "none", "busybox")).Succeeded();
        var networks = (await Docker("inspect", "-f", "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}} {{.HostConfig.NetworkMode}}", c)).Succeeded().Stdout.Trim();

        Assert.Single(links);
        Assert.Contains(": lo:", links[0]);
        Assert.Equal("none none", networks);
        (await Docker("rm", c)).Succeeded();
    }

    [Fact]
    public async Task Network_container_shares_the_other_containers_namespace()
    {
        var web = NetworkMachineFixture.Unique("web");
        (await Docker("run", "-d", "--name", web, "busybox", "sh", "-c",
            "mkdir /www && echo shared > /www/index.html && exec httpd -f -p 8080 -h /www")).Succeeded();
        var ip = (await Docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", web)).Succeeded().Stdout.Trim();

        string body = "";
        for (int i = 0; i < 20 && body != "shared\n"; i++)
            body = (await machine.RunOnce("--network", $"container:{web}", "busybox", "sh", "-c",
                "wget -qO- http://127.0.0.1:8080/ 2>/dev/null; ip -o -4 addr show eth0 | grep -o 'inet [0-9.]*'")).Stdout is var s && s.StartsWith("shared\n") ? "shared\n" : s;
        var addr = (await machine.RunOnce("--network", $"container:{web}", "busybox", "sh", "-c", "ip -o -4 addr show eth0")).Succeeded().Stdout;

        Assert.Equal("shared\n", body);
        Assert.Contains($"inet {ip}/16", addr);
        (await Docker("rm", "-f", web)).Succeeded();
    }

    [Fact]
    public async Task User_network_links_are_dns_aliases_for_the_linking_container_only()
    {
        var net = NetworkMachineFixture.Unique("linked");
        var db = NetworkMachineFixture.Unique("db");
        (await Docker("network", "create", net)).Succeeded();
        (await Docker("run", "-d", "--name", db, "--network", net, "busybox", "sleep", "60")).Succeeded();

        var linking = await machine.RunOnce("--network", net, "--link", $"{db}:store", "busybox", "ping", "-c1", "-W2", "store");
        var other = await machine.RunOnce("--network", net, "busybox", "ping", "-c1", "-W2", "store");

        linking.Succeeded();
        Assert.Contains("bad address", other.Stderr);
        (await Docker("rm", "-f", db)).Succeeded();
        (await Docker("network", "rm", net)).Succeeded();
    }
}
