using System.Net;
using Lab.Runtime.Containers;
using Lab.Runtime.Images.Library;
using Lab.Runtime.Images.Oci;
using Lab.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Lab.Web.Tests.Preview;

/// <summary>A real server whose image store is the tests' shared one (so the library's nginx and python images are
/// there), with a signed-up student whose running machine has images named nginx and python. Containers are
/// started by <see cref="RunAsync"/>; disposal removes the machine's names from the shared store.</summary>
public sealed class PreviewServer : IAsyncDisposable
{
    private PreviewServer(LabTestServer server, TestBrowser owner, string machine)
    {
        Server = server;
        Owner = owner;
        Machine = machine;
    }

    public LabTestServer Server { get; }

    /// <summary>The student who owns <see cref="Machine"/>, signed in.</summary>
    public TestBrowser Owner { get; }

    public string Machine { get; }

    public ContainerHost Containers => Server.Services.GetRequiredService<ContainerHost>();

    public static async Task<PreviewServer> StartAsync(string ownerName = "owner")
    {
        var library = new ImageLibrary(TestImages.RecipesDir, TestImages.StoreDir);
        var images = await library.EnsureBuiltAsync(["nginx", "python"]);
        var server = await LabTestServer.StartAsync(prepareDataDir: data =>
            Directory.CreateSymbolicLink(Path.Combine(data, "images"), TestImages.StoreDir));
        try
        {
            var owner = await server.CreateBrowser().SignUpAsync(ownerName);
            var machine = await owner.OwnMachineAsync();
            await server.Machines.StartAsync(machine);
            var names = new TagStore(TestImages.StoreDir, machine);
            foreach (var image in images.Where(i => i.Recipe.Name is "nginx" or "python"))
            {
                await names.TagAsync(Reference.Parse(image.Recipe.Name), image.Manifest);
            }

            return new PreviewServer(server, owner, machine);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts a container of the machine publishing <paramref name="containerPort"/> on
    /// <paramref name="hostPort"/> and waits until the preview answers something else than 502.</summary>
    public async Task<ContainerRecord> RunAsync(string image, string name, int hostPort, int containerPort,
        IReadOnlyList<string>? command = null)
    {
        var record = await Containers.CreateAsync(Machine, new ContainerSpec
        {
            Image = image,
            Name = name,
            Cmd = command,
            PortBindings = [new PortBinding($"{containerPort}/tcp", "", hostPort)],
        });
        await Containers.StartAsync(Machine, record.Id);
        for (var attempt = 0; attempt < 150; attempt++)
        {
            using var response = await Owner.GetAsync($"/preview/{Machine}/{hostPort}/");
            if (response.StatusCode != HttpStatusCode.BadGateway)
            {
                return record;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{name} never answered on port {hostPort}");
    }

    public async ValueTask DisposeAsync()
    {
        Owner.Dispose();
        try
        {
            await Server.DisposeAsync();
        }
        finally
        {
            File.Delete(Path.Combine(TestImages.StoreDir, "names", Machine + ".json"));
        }
    }
}
