extern alias LabWeb;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Lab.Runtime.Containers;
using Lab.Runtime.Images;
using Lab.Runtime.Images.Library;
using Lab.Runtime.Images.Oci;
using Lab.Runtime.Machines;
using LabWeb::Lab.Web.Accounts;
using LabWeb::Lab.Web.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Lab.Bench;

/// <summary>Issue 7's preview benchmark: nginx in a container of a lab machine, published on its port 8080, fetched
/// (a) through Lab's preview proxy, as a signed-in student's browser does, and (b) directly from inside the machine's
/// network namespace, as `curl localhost:8080` in the student's shell does; same run, same concurrency. Small GETs
/// (requests/s, keep-alive) and a 100 MB download (MB/s). Target: proxy >= 0.5 x direct for small requests.</summary>
public static partial class PreviewBench
{
    private const int Port = 8080;
    private const int Concurrency = 8;
    private const int Rounds = 3;
    private const long BigSize = 100L * 1024 * 1024;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(string work, IBaseImage machineImage)
    {
        var store = Environment.GetEnvironmentVariable("LAB_TEST_IMAGE_STORE") is { Length: > 0 } dir
            ? dir : Path.Combine(RepoRoot(), ".cache", "images");
        Console.WriteLine();
        Console.WriteLine($"preview proxy (nginx image from {store}; built there first if missing)");
        var nginx = (await new ImageLibrary(Path.Combine(RepoRoot(), "labs", "images"), store).EnsureBuiltAsync(["nginx"]))
            .Single(i => i.Recipe.Name == "nginx");

        var settings = new Dictionary<string, string?>
        {
            ["Lab:DataDir"] = Path.Combine(work, "preview-data"),
            ["Lab:ImageStoreDir"] = store,
            ["Lab:Urls"] = "http://127.0.0.1:0",
            ["Lab:CgroupParent"] = $"lab-bench-{Environment.ProcessId}-preview",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        Directory.CreateDirectory(settings["Lab:DataDir"]!);
        var app = LabWeb::Program.BuildServer(settings, services => services.AddSingleton(machineImage));
        await ServerStartup.StartAsync(app, TextWriter.Null, CancellationToken.None);
        var machines = app.Services.GetRequiredService<MachineHost>();
        string? machine = null;
        try
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            var cookies = new CookieContainer();
            using var proxy = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false, MaxConnectionsPerServer = Concurrency })
                { BaseAddress = address };
            machine = await SignUpAsync(app.Services, proxy, "bench");
            await machines.StartAsync(machine);
            await new TagStore(store, machine).TagAsync(Reference.Parse("nginx"), nginx.Manifest);
            var containers = app.Services.GetRequiredService<ContainerHost>();
            var web = await containers.CreateAsync(machine, new ContainerSpec
            {
                Image = "nginx",
                PortBindings = [new PortBinding("80/tcp", "", Port)],
                Cmd = ["sh", "-c", $"head -c {BigSize} /dev/zero > /usr/share/nginx/html/big.bin && echo ok > /usr/share/nginx/html/small.txt && exec nginx -g 'daemon off;'"],
            });
            await containers.StartAsync(machine, web.Id);

            var name = machine;
            using var direct = new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = Concurrency,
                ConnectCallback = async (_, ct) => new NetworkStream(await machines.ConnectAsync(name, "127.0.0.1", Port, ct), ownsSocket: true),
            }) { BaseAddress = new Uri($"http://localhost:{Port}/") };
            var proxyPrefix = $"/preview/{machine}/{Port}/";
            await WaitForAsync(direct, "small.txt");
            await WaitForAsync(proxy, proxyPrefix + "small.txt");

            // The browser's side as cheap as the student's curl: the session cookie as a plain header, no cookie jar.
            using var browser = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = Concurrency })
                { BaseAddress = address };
            browser.DefaultRequestHeaders.Add("Cookie", cookies.GetCookieHeader(address));

            // The same GET through the routes and the pages' whole pipeline, as before the fast path: a lone Upgrade
            // header (no "Connection: upgrade", so nothing is upgraded, and it is not forwarded) makes the fast path pass.
            using var fullPipeline = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = Concurrency })
                { BaseAddress = address };
            fullPipeline.DefaultRequestHeaders.Add("Cookie", cookies.GetCookieHeader(address));
            fullPipeline.DefaultRequestHeaders.TryAddWithoutValidation("Upgrade", "none");

            // Alternated rounds, each ratio taken within its round: the host's load varies more than the two sides differ.
            var rounds = new List<((double PerSecond, double CpuMicroseconds) Direct, (double PerSecond, double CpuMicroseconds) Proxy)>();
            for (var round = 0; round < Rounds; round++)
            {
                rounds.Add((await RequestsPerSecondAsync(direct, "small.txt"), await RequestsPerSecondAsync(browser, proxyPrefix + "small.txt")));
            }

            var (directRps, proxyRps) = rounds.OrderBy(r => r.Proxy.PerSecond / r.Direct.PerSecond).ElementAt(Rounds / 2);
            var slowDirect = await RequestsPerSecondAsync(direct, "small.txt");
            var slowProxy = await RequestsPerSecondAsync(fullPipeline, proxyPrefix + "small.txt");
            // What any signed-in request costs here without proxying (cookie validation, routing): the slow path's floor.
            var session = await RequestsPerSecondAsync(browser, "/api/session");
            var directMBps = await DownloadMegabytesPerSecondAsync(direct, "big.bin");
            var proxyMBps = await DownloadMegabytesPerSecondAsync(browser, proxyPrefix + "big.bin");

            Console.WriteLine($"{"preview (target: proxy >= 0.5 x direct for small GETs)",-58} {"direct",10} {"proxy",10} {"ratio",7}");
            Console.WriteLine($"{"  ratio of each round",-58} {string.Join(" ", rounds.Select(r => (r.Proxy.PerSecond / r.Direct.PerSecond).ToString("F2"))),29}");
            Console.WriteLine($"{$"small GET /small.txt, {Concurrency} connections, req/s (median round)",-58} {directRps.PerSecond,10:F0} {proxyRps.PerSecond,10:F0} {proxyRps.PerSecond / directRps.PerSecond,7:F2}");
            // The server and both clients share this process: its CPU per request says what the proxy costs, whatever
            // else the host is running (nginx's own share is outside it and the same for both).
            Console.WriteLine($"{"  CPU of this process per small GET, microseconds",-58} {directRps.CpuMicroseconds,10:F0} {proxyRps.CpuMicroseconds,10:F0} {proxyRps.CpuMicroseconds / directRps.CpuMicroseconds,7:F2}");
            Console.WriteLine($"{"  without the fast path (routes + pages' pipeline): req/s",-58} {slowDirect.PerSecond,10:F0} {slowProxy.PerSecond,10:F0} {slowProxy.PerSecond / slowDirect.PerSecond,7:F2}");
            Console.WriteLine($"{"  without the fast path: CPU per small GET, microseconds",-58} {slowDirect.CpuMicroseconds,10:F0} {slowProxy.CpuMicroseconds,10:F0} {slowProxy.CpuMicroseconds / slowDirect.CpuMicroseconds,7:F2}");
            Console.WriteLine($"{"  baseline: signed-in GET /api/session (no proxying): req/s, CPU us",-58} {"",10} {session.PerSecond,10:F0} {session.CpuMicroseconds,7:F0}");
            Console.WriteLine($"{"100 MB download, MB/s (median of 3)",-58} {directMBps,10:F0} {proxyMBps,10:F0} {proxyMBps / directMBps,7:F2}");
        }
        finally
        {
            if (machine is not null)
            {
                await machines.RemoveAsync(machine);
                File.Delete(Path.Combine(store, "names", machine + ".json"));
            }

            await app.StopAsync();
            machines.Cgroups.RemoveParent();
            await app.DisposeAsync();
        }
    }

    /// <summary>Registers a student through the real form (so the client holds a real session cookie) and returns
    /// the name of their machine.</summary>
    private static async Task<string> SignUpAsync(IServiceProvider services, HttpClient http, string userName)
    {
        var form = await http.GetStringAsync("/register");
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        using var registered = await http.PostAsync("/register", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.UserName"] = userName,
            ["Form.Password"] = "bench password",
            ["Form.ConfirmPassword"] = "bench password",
            ["__RequestVerificationToken"] = token,
        }));
        if (registered.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"registration failed: {(int)registered.StatusCode}");
        }

        using var scope = services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<LabUser>>().FindByNameAsync(userName)
            ?? throw new InvalidOperationException("no bench user");
        var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<LabUser>>().CreateUserPrincipalAsync(user);
        return await scope.ServiceProvider.GetRequiredService<UserMachines>().GetOrCreateAsync(principal);
    }

    private static async Task WaitForAsync(HttpClient http, string path)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(path);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{path} never answered");
    }

    /// <summary>Keep-alive GETs from <see cref="Concurrency"/> loops for <see cref="Duration"/>, after a warm-up.</summary>
    private static async Task<(double PerSecond, double CpuMicroseconds)> RequestsPerSecondAsync(HttpClient http, string path)
    {
        async Task<long> Loop(DateTime until)
        {
            long count = 0;
            while (DateTime.UtcNow < until)
            {
                using var response = await http.GetAsync(path);
                await response.Content.CopyToAsync(Stream.Null);
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode}");
                count++;
            }
            return count;
        }

        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Loop(DateTime.UtcNow.AddSeconds(1))));
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Loop(DateTime.UtcNow + Duration)));
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var cpuPerRequest = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / counts.Sum();
        return (counts.Sum() / seconds, cpuPerRequest);
    }

    private static async Task<double> DownloadMegabytesPerSecondAsync(HttpClient http, string path)
    {
        var rates = new List<double>();
        for (var run = 0; run < 3; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[128 * 1024];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0) total += read;
            if (total != BigSize) throw new InvalidOperationException($"{path}: {total} bytes, not {BigSize}");
            rates.Add(total / 1e6 / stopwatch.Elapsed.TotalSeconds);
        }
        return rates.Order().ElementAt(1);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Lab.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
